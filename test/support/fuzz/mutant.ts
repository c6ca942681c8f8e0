import { gzipSync } from 'node:zlib';
import { mutateBytes } from './byteMutations';
import { mutateGzip } from './gzipMutations';
import { mutateProto } from './protoMutations';
import { caseRandom } from './random';
import type { Seed } from './seeds';
import { mutateText } from './textMutations';

// One fuzz case = one mutant, rebuilt from nothing but the run's seed, the case number and the
// seed list: the worker that decodes it and the test that reports a failure build the same bytes.

/** STRATEGIES are the four mutation families, taken in turn. */
export const STRATEGIES = ['bytes', 'gzip', 'proto', 'text'] as const;
/** Strategy is one mutation family. */
export type Strategy = (typeof STRATEGIES)[number];

/** Mutant is one fuzz input and how it was made. */
export interface Mutant {
  strategy: Strategy;
  op: string;
  seed: string;
  bytes: Uint8Array;
}

/** makeMutant builds case `index` of a run seeded with `runSeed`. */
export function makeMutant(seeds: Seed[], runSeed: number, index: number): Mutant {
  const r = caseRandom(runSeed, index);
  const protos = seeds.filter((s) => s.kind === 'proto');
  const legacy = seeds.filter((s) => s.kind === 'legacy-text');
  const texts = seeds.filter((s) => s.kind === 'legacy-text' || s.kind === 'goroutine-text');
  let strategy: Strategy = STRATEGIES[index % STRATEGIES.length];
  if ((strategy === 'proto' && protos.length === 0) || (strategy === 'text' && texts.length === 0)) strategy = 'bytes';
  const other = r.pick(seeds).data;
  const maybeGzip = (bytes: Uint8Array, p: number) => (r.chance(p) ? new Uint8Array(gzipSync(bytes, { level: 1 })) : bytes);
  switch (strategy) {
    case 'gzip': {
      const seed = r.pick(seeds);
      return { strategy, seed: seed.name, ...mutateGzip(seed.data, r, other) };
    }
    case 'proto': {
      const seed = r.pick(protos);
      const m = mutateProto(seed.data, r) ?? { ...mutateBytes(seed.data, r, other), op: 'bytes-fallback' };
      return { strategy, seed: seed.name, op: m.op, bytes: maybeGzip(m.bytes, 0.25) };
    }
    case 'text': {
      const seed = legacy.length > 0 && r.chance(0.8) ? r.pick(legacy) : r.pick(texts);
      const m = mutateText(seed.data, r);
      return { strategy, seed: seed.name, op: m.op, bytes: maybeGzip(m.bytes, 0.2) };
    }
    default: {
      const seed = r.pick(seeds);
      const m = mutateBytes(r.chance(0.75) ? seed.data : seed.stored, r, other);
      return { strategy, seed: seed.name, ...m };
    }
  }
}
