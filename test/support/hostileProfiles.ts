import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from './profileWriter';

// A base/new profile pair whose function names are hostile — an RTL override, an unbalanced `)`
// that would end a Markdown link, a 3,000-character name, markup, a `%41` — on one call path into a
// Go file written next to them, so the tree, the hover's links, the call graph and the flame graph
// can be driven over them in a real VS Code (test/e2e/hostile.test.mjs). Go itself only allows some
// of these names; a written profile.proto is what a hostile file would be anyway.
//
//   node --import tsx test/support/hostileProfiles.ts WORKSPACE   # writes hostile/*.go, profiles/hostile/*.pb.gz

/** HOSTILE_NAMES are the functions of the path, leaf first (the leaf allocates on names.go:10; the long one grows too). */
export const HOSTILE_NAMES = {
  leaf: 'main.handle\u202eevil.exe',
  caller: 'main.caller)](command:workbench.action.terminal.new) %41',
  long: `main.${'Long'.repeat(750)}`,
  markup: 'main.<img src=x onerror=alert(1)>',
  root: 'main.main',
};

/** HOSTILE_LINES says where each frame sits: the leaf in names.go, the others in callers.go. */
export const HOSTILE_LINES = { leaf: 10, caller: 20, long: 5, markup: 8, root: 3 };

/** hostileSpec is one profile of the pair: `scale` multiplies the leaf's values (new grows). */
function hostileSpec(dir: string, scale: number): ProfileSpec {
  const names = join(dir, 'hostile', 'names.go');
  const callers = join(dir, 'hostile', 'callers.go');
  const order = ['leaf', 'caller', 'long', 'markup', 'root'] as const;
  return {
    sampleTypes: HEAP_TYPES,
    period: 524288,
    periodType: ['space', 'bytes'],
    functions: order.map((k, i) => ({ id: i + 1, name: HOSTILE_NAMES[k], file: k === 'leaf' ? names : callers })),
    locations: order.map((k, i) => ({ id: i + 1, address: 0x1000 + i * 16, lines: [{ functionId: i + 1, line: HOSTILE_LINES[k] }] })),
    samples: [
      { locations: [1, 2, 3, 4, 5], values: [100 * scale, 50 * 1048576 * scale, 100 * scale, 50 * 1048576 * scale] },
      { locations: [2, 3, 4, 5], values: [10, 4 * 1048576, 10, 4 * 1048576] },
      { locations: [3, 4, 5], values: [5 * scale, 2 * 1048576 * scale, 5 * scale, 2 * 1048576 * scale] },
    ],
  };
}

/** goSource is a Go file of `lines` numbered comment lines, so each profile line has text to hover. */
function goSource(lines: number): string {
  return ['package main', ...Array.from({ length: lines - 1 }, (_, i) => `// line ${i + 2}: var sink${i + 2} = make([]byte, 1<<20)`)].join('\n') + '\n';
}

/** writeHostileProfiles writes the Go files and profiles/hostile/{base,new}.pb.gz under `dir`. */
export function writeHostileProfiles(dir: string): void {
  mkdirSync(join(dir, 'hostile'), { recursive: true });
  mkdirSync(join(dir, 'profiles', 'hostile'), { recursive: true });
  writeFileSync(join(dir, 'hostile', 'names.go'), goSource(30));
  writeFileSync(join(dir, 'hostile', 'callers.go'), goSource(30));
  writeFileSync(join(dir, 'profiles', 'hostile', 'base.pb.gz'), gzipSync(encodeProfile(hostileSpec(dir, 1))));
  writeFileSync(join(dir, 'profiles', 'hostile', 'new.pb.gz'), gzipSync(encodeProfile(hostileSpec(dir, 3))));
}

if (process.argv[1]?.endsWith('hostileProfiles.ts') && process.argv[2]) writeHostileProfiles(process.argv[2]);
