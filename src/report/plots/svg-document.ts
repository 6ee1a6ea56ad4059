import { escapeMarkup, ValidationError } from '../../index.js';
import { svgNumber } from './svg-number.js';

/** What every plot's root element needs: its size, its ids, its accessible name and description. @internal */
export interface SvgDocumentParts {
  readonly id: string;
  readonly className: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly description: string;
  /** The content, lines of SVG elements. */
  readonly body: readonly string[];
}

/**
 * The root `<svg>` of a plot: `xmlns`, size and `viewBox`, `role="img"` labelled by its `<title>` and
 * `<desc>` (ids `<id>-title` and `<id>-desc`), the font, then the body, one element a line. @internal
 */
export function svgDocument(parts: SvgDocumentParts): string {
  const id = escapeMarkup(parts.id);
  const width = svgNumber(parts.width);
  const height = svgNumber(parts.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="${parts.className}" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
      'font-family="system-ui, sans-serif" font-size="12">',
    `<title id="${id}-title">${escapeMarkup(parts.title)}</title>`,
    `<desc id="${id}-desc">${escapeMarkup(parts.description)}</desc>`,
    ...parts.body,
    '</svg>',
  ].join('\n');
}

/** A positive finite size option, or its default; anything else is a mistake worth an error message. @internal */
export function sizeOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`\`${name}\` must be a positive finite number, got ${String(value)}`, [name]);
  }
  return value;
}
