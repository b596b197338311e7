// Small SVG building blocks shared by the charts: escaping, text, lines and the look (font, colours).

/** The one font the PNG renderer is given (see png.ts); the family name must match it. */
export const FONT_FAMILY = 'DejaVu Sans';

/** Series colours, in order: the colour-blind-friendlier part of the usual "category10" palette. */
export const PALETTE = ['#1f77b4', '#d95f02', '#2ca02c', '#7570b3', '#e7298a', '#8c564b'] as const;

export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e3e3e3';

/** Text and attribute values with the five XML specials escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Coordinates rounded to 0.01 px: enough for a raster, and it keeps the SVG small and diffable. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export interface TextOptions {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'normal' | 'bold';
  readonly fill?: string;
  /** Degrees, about (x, y). */
  readonly rotate?: number;
  /** A white outline under the glyphs, so that text over bars and lines stays readable. */
  readonly halo?: boolean;
}

/** A text element; '\n' in `content` starts a new line below the first. */
export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const size = options.size ?? 12;
  const attributes = [
    `x="${px(x)}"`,
    `y="${px(y)}"`,
    `font-size="${size}"`,
    `text-anchor="${options.anchor ?? 'start'}"`,
    `fill="${options.fill ?? INK}"`,
    options.weight === 'bold' ? 'font-weight="bold"' : '',
    options.rotate ? `transform="rotate(${options.rotate} ${px(x)} ${px(y)})"` : '',
    options.halo ? 'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' : '',
  ].filter(Boolean);
  const lines = content.split('\n');
  const body =
    lines.length === 1
      ? escapeXml(content)
      : lines.map((line, i) => `<tspan x="${px(x)}" dy="${i === 0 ? 0 : px(size * 1.2)}">${escapeXml(line)}</tspan>`).join('');
  return `<text ${attributes.join(' ')}>${body}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`;
}

/**
 * A rough width of `content` in DejaVu Sans at `size` px, for laying out legends and margins
 * without measuring glyphs (its average advance is about 0.6 em; digits are 0.64 em).
 */
export function textWidth(content: string, size: number): number {
  return Math.max(...content.split('\n').map((l) => l.length)) * size * 0.62;
}

/** The document around the chart's elements, on a white background (PNG viewers differ on transparency). */
export function document(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
