import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceLineReader } from '../../src/core/diagnose';
import { sourceLineReader } from '../../src/node/sourceLines';

// The Go fixture programs' sources as the CLI would find them on a machine holding the checkout:
// every directory with a go.mod under test/fixtures/go is a root (module path → directory for
// -trimpath paths, longest shared path tail for the build machine's absolute paths).

const GO = join(__dirname, '../fixtures/go');

/** fixtureModuleRoots lists the directories under test/fixtures/go that hold a go.mod, and GOPATH `src` directories. */
export function fixtureModuleRoots(dir = GO): string[] {
  const names = readdirSync(dir);
  const isModule = names.includes('go.mod');
  const out: string[] = isModule || (dir.endsWith('/src') && !isModule) ? [dir] : [];
  for (const name of names) {
    const p = join(dir, name);
    // A module's vendor/ holds dependencies, whose lines the diagnosis never quotes.
    if (!(isModule && name === 'vendor') && statSync(p).isDirectory()) out.push(...fixtureModuleRoots(p));
  }
  return out;
}

/** fixtureSourceReader reads lines of the fixture programs' sources. */
export function fixtureSourceReader(): SourceLineReader {
  return sourceLineReader(fixtureModuleRoots());
}
