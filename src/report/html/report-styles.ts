/**
 * The report's style sheet, inlined into its `<style>` element (the report loads nothing). Colours keep a
 * contrast of at least 4.5:1 on their backgrounds (WCAG AA): green #1a7f37 and red #b42318 on white, the
 * banner's dark red on its pale red.
 * @internal
 */
export const REPORT_STYLES = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.08em; margin: 20px 0 6px; }
p.lead { margin: 0 0 12px; color: #424a53; }
.banner { margin: 16px 0; padding: 12px 16px; border: 2px solid #b42318; border-radius: 6px; background: #fef3f2; color: #7a1a12; }
.banner strong { display: block; font-size: 1.1em; margin-bottom: 4px; }
.banner.passed { border-color: #1a7f37; background: #f0fdf4; color: #14532d; }
table { border-collapse: collapse; margin: 4px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #d8dee4; text-align: right; white-space: nowrap; }
th { background: #f6f8fa; font-weight: 600; }
th[scope="row"], td.text, th.text { text-align: left; }
tr.control td, tr.control th { color: #424a53; }
td.verdict { text-align: left; font-weight: 600; }
.verdict-better, .verdict-non-inferior { color: #1a7f37; }
.verdict-worse { color: #b42318; }
.verdict-increase, .verdict-decrease { color: #1f2328; }
.verdict-inconclusive, .verdict-untested { color: #57606a; font-weight: 400; }
dl.definition { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.definition dt { font-weight: 600; color: #424a53; }
dl.definition dd { margin: 0; }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.legend dt { font-weight: 600; }
dl.legend dd { margin: 0; }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
figure { margin: 8px 0 16px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: 0.92em; }
ul.warnings li { margin: 4px 0; }
p.notice { margin: 8px 0 0; padding: 8px 12px; border: 1px solid #9a6700; border-radius: 6px; background: #fff8c5; color: #4d2d00; }
p.metric-warning { margin: -4px 0 14px; padding: 6px 10px; border-left: 4px solid #9a6700; background: #fff8c5; color: #4d2d00; }
footer { margin-top: 40px; padding-top: 8px; border-top: 1px solid #d0d7de; color: #57606a; font-size: 0.9em; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
`;
