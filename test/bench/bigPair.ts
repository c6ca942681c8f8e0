import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHeapProfile } from './generate';

// A pair of big generated heap profiles and the source file they point into, for the end-to-end
// test of the analysis worker (test/e2e/bigprofiles.test.mjs): `node --import tsx test/bench/bigPair.ts
// OUT_DIR [MB]` writes OUT_DIR/profiles/big/{good,bad}_heap.prof and OUT_DIR/bench/big.go (12,000
// lines). Generated once into .bench/ and copied, since 50 MB takes a while to write.

const SAMPLES_PER_MB = 19500;
const LINES = 12_000;
const [out, mbArg] = process.argv.slice(2);
if (!out) throw new Error('usage: bigPair.ts OUT_DIR [MB]');
const mb = Number(mbArg ?? '50');
const cache = join(__dirname, '../../.bench', `e2e-${mb}MB`);
const user = { path: '/home/ci/src/example.com/heapscenarios/bench/big.go', module: 'example.com/heapscenarios/bench', lines: LINES };
mkdirSync(cache, { recursive: true });
['good_heap.prof', 'bad_heap.prof'].forEach((name, variant) => {
  const file = join(cache, name);
  if (!existsSync(file)) writeFileSync(file, generateHeapProfile(mb * SAMPLES_PER_MB, variant, 42, user).gz);
});
const source = ['package bench', '', '// Generated: the lines the big e2e profiles point at.', ''];
while (source.length < LINES) source.push(`\tsink = append(sink, make([]byte, ${64 + (source.length % 512)})) // line ${source.length + 1}`);
mkdirSync(join(out, 'profiles/big'), { recursive: true });
mkdirSync(join(out, 'bench'), { recursive: true });
for (const name of ['good_heap.prof', 'bad_heap.prof']) copyFileSync(join(cache, name), join(out, 'profiles/big', name));
writeFileSync(join(out, 'bench/big.go'), `${source.join('\n')}\n`);
console.log(`${out}: profiles/big/good_heap.prof (${(readFileSync(join(cache, 'good_heap.prof')).length / 1048576).toFixed(1)} MB), bad_heap.prof, bench/big.go (${LINES} lines)`);
