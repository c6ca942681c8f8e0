// Checks the service scenarios of test/fixtures/scenarios.json (the entries with `builds`) against
// the goldens that gen-service-fixtures.sh just wrote:
//   node scripts/check-service-scenarios.mjs FIXTURES_DIR NAME...
// - `site` is the top |flat| row of diff.inuse_space.lines (alloc_space for churn) in every build;
// - `userFrame` carries at least half of that growth as cum, or, when `userFrameOnPath` is false
//   (growth in goroutines a library started), at least appears in the new profile;
// - `userLine` is the text of that line in the program's source;
// - a control (`expectedKind` null; two runs of an unchanged program, so sampled independently) has
//   no row whose |Δinuse_space| reaches 8 MiB (injected growth is tens of MB; sampling noise a few).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [fix, ...names] = process.argv.slice(2);
const BUILD_ROOT = '/tmp/heaplens-svc-build/';
const manifest = JSON.parse(readFileSync(join(fix, 'scenarios.json'), 'utf8')).filter((e) => e.builds);
const patterns = new Set(['request-body-kept', 'compressor-per-connection', 'bufio-per-connection',
  'reflect-pool-oversized', 'goroutines-blocked', 'map-only-grows', 'buffer-doubling', 'response-body-not-closed',
  'queue-reslice-kept', 'timer-in-loop', 'cache-no-eviction']);
const kinds = new Set(['retained', 'churn', 'goroutines', 'shrinking', null]);
const row = /^\s*(-?\d+)B?\s+(-?[\d.]+)%\s+(-?[\d.]+)%\s+(-?\d+)B?\s+(-?[\d.]+)%\s+(\S+) (\S+):(\d+)( \(inline\))?$/;
const errors = [];

const got = manifest.map((e) => e.name).sort();
if (JSON.stringify(got) !== JSON.stringify([...names].sort())) errors.push(`manifest names ${got} != ${names}`);

const rowsOf = (file) => {
  const rows = [];
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    const m = row.exec(l);
    if (m) rows.push({ flat: +m[1], cum: +m[4], fn: m[6], file: m[7], line: +m[8], text: l.trim() });
  }
  return rows;
};
const matches = (r, f) => r.fn === f.function && r.line === f.line && (r.file === f.file || r.file.endsWith('/' + f.file));

for (const e of manifest) {
  if (!kinds.has(e.expectedKind)) errors.push(`${e.name}: bad expectedKind ${e.expectedKind}`);
  for (const p of [e.pattern, ...e.alsoPatterns]) if (p !== null && !patterns.has(p)) errors.push(`${e.name}: bad pattern ${p}`);
  const si = e.expectedKind === 'churn' ? 'alloc_space' : 'inuse_space';
  for (const build of e.builds) {
    const rows = rowsOf(join(fix, 'golden', build, e.name, `diff.${si}.lines.txt`));
    if (e.expectedKind === null) {
      const big = rows.filter((r) => Math.abs(r.flat) >= 8 << 20);
      if (big.length) errors.push(`${e.name}/${build}: the control changed: ${big.map((r) => r.text).join('; ')}`);
      else console.error(`[check-service-scenarios] ${e.name}/${build}: largest |flat| ${rows.reduce((m, r) => Math.max(m, Math.abs(r.flat)), 0)} B`);
      continue;
    }
    if (rows.length === 0) { errors.push(`${e.name}/${build}: no rows`); continue; }
    let top = rows[0];
    for (const r of rows) if (e.expectedKind === 'shrinking' ? r.flat < top.flat : Math.abs(r.flat) > Math.abs(top.flat)) top = r;
    if (!matches(top, e.site)) {
      errors.push(`${e.name}/${build}: top row is "${top.text}", manifest site is ${JSON.stringify(e.site)}`);
      continue;
    }
    let uf = rows.find((r) => matches(r, e.userFrame));
    if (e.userFrameOnPath === false) {
      uf = rowsOf(join(fix, 'golden', build, e.name, 'new.inuse_space.lines.txt')).find((r) => matches(r, e.userFrame));
      if (!uf) errors.push(`${e.name}/${build}: userFrame ${JSON.stringify(e.userFrame)} is not in the new profile`);
    } else if (!uf || Math.sign(uf.cum) !== Math.sign(top.flat) || Math.abs(uf.cum) < 0.5 * Math.abs(top.flat)) {
      errors.push(`${e.name}/${build}: userFrame ${JSON.stringify(e.userFrame)} does not carry the growth`);
    }
    if (uf && uf.file.startsWith(BUILD_ROOT)) {
      const source = readFileSync(join(fix, 'go/services', uf.file.slice(BUILD_ROOT.length)), 'utf8').split('\n')[uf.line - 1];
      if (source?.trim() !== e.userLine) errors.push(`${e.name}/${build}: ${uf.file}:${uf.line} is "${source?.trim()}", userLine is "${e.userLine}"`);
    }
    console.error(`[check-service-scenarios] ${e.name}/${build}: ${top.text}`);
  }
}
if (errors.length) {
  for (const m of errors) console.error('[check-service-scenarios] ' + m);
  process.exit(1);
}
