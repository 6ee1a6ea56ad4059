import { expect } from 'vitest';
import { elementsOf, numberAttribute, parseXml, type XmlElement } from '../support/xml-tree.js';

/**
 * Parses a plot's SVG as XML (which fails on malformed text) and checks its root: `<svg>` with the SVG
 * namespace, a `viewBox` of `0 0 width height`, `role="img"`, and `aria-labelledby` naming its `<title>` and
 * `<desc>`, which are its first two children.
 */
export function parseSvg(svg: string): XmlElement {
  expect(svg.startsWith('<svg ')).toBe(true);
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
  const width = numberAttribute(root, 'width');
  const height = numberAttribute(root, 'height');
  expect(root.attributes.viewBox).toBe(`0 0 ${width} ${height}`);
  expect(root.attributes.role).toBe('img');
  const [title, desc] = root.children;
  expect(title?.name).toBe('title');
  expect(desc?.name).toBe('desc');
  expect(root.attributes['aria-labelledby']).toBe(`${title?.attributes.id} ${desc?.attributes.id}`);
  expect(title?.text.length).toBeGreaterThan(0);
  expect(desc?.text.length).toBeGreaterThan(0);
  expect(root.attributes['font-family']).toBe('system-ui, sans-serif');
  return root;
}

/** A tick label such as `−30%` (d3-format's minus sign) or `12,000` as a number (`−30%` is -0.3). */
export function tickValue(label: string): number {
  const text = label.replace('−', '-').replaceAll(',', '');
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

/** The values of the tick labels of the axis `x-axis` or `y-axis`, in the order drawn. */
export function axisTicks(root: XmlElement, axis: 'x-axis' | 'y-axis'): number[] {
  const [group] = elementsOf(root, 'g', axis);
  if (group === undefined) throw new Error(`no ${axis}`);
  return elementsOf(group, 'text', 'tick-label').map((label) => tickValue(label.text));
}

/** Every number of every coordinate attribute and path of the SVG has at most 2 decimals. */
export function expectTwoDecimals(svg: string): void {
  const numbers = svg.match(/(?<=[" ,MLZCHVA])-?\d+\.\d+/g) ?? [];
  for (const number of numbers) expect(number).toMatch(/^-?\d+\.\d{1,2}$/);
}

/** Rounds as the plots write coordinates: 2 decimals. */
export const round2 = (value: number): number => Math.round(value * 100) / 100;
