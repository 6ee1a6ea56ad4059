/**
 * Escapes text for HTML or SVG (XML) content and attribute values: `&`, `<`, `>`, `"` and `'` become
 * entities, so that names from the data (a metric called `<b>`, a variant `"A" & B`) are shown as written.
 *
 * @param text - The text.
 * @returns The escaped text.
 *
 * @example
 * ```ts
 * import { escapeMarkup } from 'ep-stats';
 * escapeMarkup(`Revenue <net> & "refunds"`); // => 'Revenue &lt;net&gt; &amp; &quot;refunds&quot;'
 * ```
 * @public
 */
export function escapeMarkup(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
