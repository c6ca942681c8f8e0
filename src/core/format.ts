// Number formatting shared by the CLI, the tree, annotations and the panel. Units follow pprof's
// measurement package (B, kB, MB, GB with 1024 steps; counts as plain numbers), two decimals.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** formatValue renders a value in its unit with a human scale: 85.50MB, 1.20kB, 12345. */
export function formatValue(value: number, unit: string): string {
  if (isBytes(unit)) return formatBytes(value);
  if (unit === 'nanoseconds') return formatNanos(value);
  return formatCount(value);
}

/** formatSigned renders a change with an explicit sign: +81.50MB, −2.00MB, 0. */
export function formatSigned(value: number, unit: string): string {
  if (value === 0) return '0';
  const s = formatValue(Math.abs(value), unit);
  return value > 0 ? `+${s}` : `\u2212${s}`;
}

/** isBytes tells whether a unit is a byte unit. */
export function isBytes(unit: string): boolean {
  return unit === 'bytes' || unit === 'byte' || unit === 'B';
}

/** formatBytes renders a byte count like pprof: the largest 1024-power unit below the value. */
export function formatBytes(value: number): string {
  const abs = Math.abs(value);
  let u = 0;
  let scaled = abs;
  while (scaled >= 1024 && u < BYTE_UNITS.length - 1) { scaled /= 1024; u++; }
  const s = trimZeros(scaled.toFixed(u === 0 ? 0 : 2));
  if (s === '0') return '0';
  return `${value < 0 ? '-' : ''}${s}${BYTE_UNITS[u]}`;
}

/** formatCount renders a count with thousands separators kept out (terminal-friendly): 12345 or 1.23M. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs < 100000) return String(Math.round(value));
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) {
    if (abs >= scale) return `${value < 0 ? '-' : ''}${trimZeros((abs / scale).toFixed(2))}${suffix}`;
  }
  return String(value);
}

function formatNanos(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}${trimZeros((abs / 1e9).toFixed(2))}s`;
  if (abs >= 1e6) return `${sign}${trimZeros((abs / 1e6).toFixed(2))}ms`;
  if (abs >= 1e3) return `${sign}${trimZeros((abs / 1e3).toFixed(2))}us`;
  return `${sign}${abs}ns`;
}

function trimZeros(s: string): string {
  return s.endsWith('.00') ? s.slice(0, -3) : s;
}

/** formatPercent renders |value|/total like pprof's measurement.Percentage ("  100%", "12.34%", "0.01%"). */
export function formatPercent(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1.0) return `${ratio.toFixed(2).padStart(5)}%`;
  return `${formatG2(ratio).padStart(5)}%`;
}

/** formatSignedPercent renders a signed change relative to a base: +2327%, −12.5%, "new" when the base is 0. */
export function formatSignedPercent(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0%' : 'new';
  const pct = (delta / Math.abs(base)) * 100;
  const abs = Math.abs(pct);
  const body = abs >= 100 ? abs.toFixed(0) : abs >= 10 ? abs.toFixed(1) : abs.toFixed(2);
  if (Number(body) === 0) return '0%';
  return `${pct > 0 ? '+' : '\u2212'}${body}%`;
}

/** formatRatio renders new/base as a growth factor: ×24.3, ×0.5; "—" when the base is 0. */
export function formatRatio(newValue: number, base: number): string {
  if (base === 0) return newValue === 0 ? '×1' : '—';
  const r = newValue / base;
  return `\u00d7${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

/** formatG2 mimics Go's %.2g for a non-negative number (two significant digits, no trailing zeros). */
function formatG2(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(x));
  if (exp < -4 || exp >= 2) {
    const [m, e] = x.toExponential(1).split('e');
    const mant = m.replace(/\.0$/, '');
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(Number(x.toPrecision(2)));
}
