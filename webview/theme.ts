// Colours that follow the VS Code theme. The growth / shrink colours are the extension's own theme
// colours (contributed in package.json, so light, dark and high-contrast themes each have theirs),
// exposed to webviews as --vscode-heaplens-* variables. Canvas and exported SVG need concrete
// values, so the variables are resolved through a probe element and mixed here.

/** RGB is a colour as 0–255 channels. */
export interface RGB {
  r: number;
  g: number;
  b: number;
}

/** DiffPalette holds the resolved colours a diff view mixes from. */
export interface DiffPalette {
  background: RGB;
  foreground: RGB;
  neutral: RGB;
  growth: RGB;
  shrink: RGB;
  highlight: RGB;
  border: RGB | undefined;
  highContrast: boolean;
  /** The theme's focus ring colour (focusBorder), for keyboard focus drawn on a canvas. */
  focus?: RGB;
}

/** parseColor reads the colour formats getComputedStyle returns: rgb(), rgba(), #rrggbb(aa), #rgb. */
export function parseColor(text: string): RGB | undefined {
  const s = text.trim();
  let m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]) };
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return { r: parseInt(m[1].slice(0, 2), 16), g: parseInt(m[1].slice(2, 4), 16), b: parseInt(m[1].slice(4, 6), 16) };
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(s);
  if (m) return { r: parseInt(m[1] + m[1], 16), g: parseInt(m[2] + m[2], 16), b: parseInt(m[3] + m[3], 16) };
  return undefined;
}

/** mix blends a towards b by t (0 = a, 1 = b). */
export function mix(a: RGB, b: RGB, t: number): RGB {
  const k = Math.max(0, Math.min(1, t));
  return { r: a.r + (b.r - a.r) * k, g: a.g + (b.g - a.g) * k, b: a.b + (b.b - a.b) * k };
}

/** css renders a colour for canvas or SVG. */
export function css(c: RGB): string {
  return `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
}

/** luminance is the relative luminance (WCAG 2.x) of a colour. */
export function luminance(c: RGB): number {
  const ch = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}

/** contrastRatio is WCAG's (L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21. */
export function contrastRatio(a: RGB, b: RGB): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const BLACK: RGB = { r: 0, g: 0, b: 0 };
const WHITE: RGB = { r: 255, g: 255, b: 255 };

/**
 * readableText picks black or white text, whichever has the higher contrast ratio with
 * `background`. The better of the two is at least 4.58:1 on any colour (the crossover is at
 * luminance ≈ 0.18), so labels meet WCAG AA's 4.5:1 on every fill, in every theme.
 */
export function readableText(background: RGB): RGB {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
}

/**
 * diffFill is the fill of a frame or node whose value changed by `delta` when the largest change
 * shown is `scale`: the neutral colour, pulled towards growth or shrink by √(|Δ|/scale) (the square
 * root keeps mid-sized changes visible next to one huge one), between 15% and 85% so every
 * changed frame is distinguishable from an unchanged one and text stays readable.
 */
export function diffFill(p: DiffPalette, delta: number, scale: number): RGB {
  if (delta === 0 || scale === 0) return p.neutral;
  const t = 0.15 + 0.7 * Math.sqrt(Math.min(1, Math.abs(delta) / scale));
  return mix(p.neutral, delta > 0 ? p.growth : p.shrink, t);
}

/** packageFill is a single-profile frame's fill: a stable tint per Go package so neighbouring frames differ. */
export function packageFill(p: DiffPalette, name: string): RGB {
  const pkg = goPackage(name);
  let h = 0;
  for (let i = 0; i < pkg.length; i++) h = (h * 31 + pkg.charCodeAt(i)) >>> 0;
  const t = 0.25 + ((h % 7) / 6) * 0.45;
  return mix(p.neutral, p.highlight, t);
}

/** goPackage returns the package path of a Go function name: "a/b/c.(*T).m" → "a/b/c". */
export function goPackage(name: string): string {
  const slash = name.lastIndexOf('/', name.indexOf('(') >= 0 ? name.indexOf('(') : name.length);
  const dot = name.indexOf('.', slash + 1);
  return dot >= 0 ? name.slice(0, dot) : name;
}

/** nodeFill colours a call-graph node by its cum: Δ share of the total when comparing, share of the total otherwise. */
export function nodeFill(p: DiffPalette, graph: { isDiff: boolean }, cum: number, total: number): RGB {
  if (graph.isDiff) return diffFill(p, cum, total);
  return mix(p.neutral, p.highlight, 0.1 + 0.6 * Math.sqrt(Math.min(1, Math.abs(cum) / total)));
}
