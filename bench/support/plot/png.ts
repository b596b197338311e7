// SVG to PNG through resvg (npm @resvg/resvg-js: a Rust renderer shipped as prebuilt npm
// binaries, no install script). The charts' only font is passed in as files rather than taken
// from the system's font list, so the same SVG renders the same way on every machine that has
// the files, and text never silently vanishes for want of a font.

import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './svg';

/** The charts are laid out at 800 px wide; 1.5× makes them sharp on high-density screens without large files. */
const ZOOM = 1.5;

/** `fontFiles`: DejaVu Sans (regular, and bold if present) as .ttf paths. */
export function renderPng(svg: string, fontFiles: readonly string[]): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...fontFiles], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: ZOOM },
    logLevel: 'error',
  });
  return resvg.render().asPng();
}
