import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceLineReader } from '../../src/core/diagnose';
import { sourceLineReader } from '../../src/node/sourceLines';

// The Go fixture programs' sources as the CLI would find them on a machine holding the checkout:
// every directory with a go.mod under test/fixtures/go is a root (module path → directory for
// -trimpath paths, longest shared path tail for the build machine's absolute paths).

const GO = join(__dirname, '../fixtures/go');

/** fixtureModuleRoots lists the directories under test/fixtures/go that hold a go.mod. */
export function fixtureModuleRoots(dir = GO): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'go.mod') out.push(dir);
    else if (name !== 'vendor' && statSync(p).isDirectory()) out.push(...fixtureModuleRoots(p));
  }
  return out;
}

/** fixtureSourceReader reads lines of the fixture programs' sources. */
export function fixtureSourceReader(): SourceLineReader {
  return sourceLineReader(fixtureModuleRoots());
}
