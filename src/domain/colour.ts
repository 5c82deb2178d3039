/**
 * Colour contrast (WCAG 2): the business's accent colour is checked with these
 * when it is set (settings) and adjusted with them when a page is drawn (web).
 *
 * Bottom layer: imports nothing from src/.
 */

/** The dark text colour the pages put on light accents. */
export const DARK_TEXT = "#111111";
/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Contrast ratio of two "#rrggbb" colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The better of white or dark text on this background, and its ratio. */
export function bestTextOn(background: string): { text: string; ratio: number } {
  const white = contrast(background, "#ffffff");
  const dark = contrast(background, DARK_TEXT);
  return white >= dark ? { text: "#ffffff", ratio: white } : { text: DARK_TEXT, ratio: dark };
}
