import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { diagnose } from '../../../../src/core/diagnose';
import { HEAP_TYPES, encodeProfile } from '../../../support/profileWriter';

// Issue 11: a 577-byte profile pair whose file paths were long made `report` take 25 s, because the
// user-frame detection matched GOROOT-like paths with a backtracking regex. Classification is now a
// plain scan. These inputs are ~100 KB per path in the shapes such regexes choke on (many `/src/`,
// `/pkg/mod/`, `@v` and slash runs, long dotted names): a backtracking matcher needs minutes to
// billions of steps on them, a scan milliseconds. The test's timeout is the hang guard — generous
// so a loaded CI machine cannot make it flaky, and still far below what a quadratic scan takes.

const N = 20_000;
const HOSTILE_FILES = [
  '/src/'.repeat(N) + 'runtime/malloc.go',
  'src/'.repeat(N) + 'x',
  '/'.repeat(5 * N) + 'main.go',
  '/go/pkg/mod/'.repeat(N / 2) + 'a@v',
  'a/'.repeat(N) + '@v1.0.0/' + 'b/'.repeat(N) + 'c.go',
  '/usr/lib/go-1.19/src'.repeat(N / 4) + '/bytes/buffer.go',
];
const HOSTILE_NAMES = [
  'a.'.repeat(N) + '(*T).M',
  'github.com/'.repeat(N / 2) + 'x.F',
  'main.' + '('.repeat(N) + 'f',
  'main.func' + '1.'.repeat(N),
  'example.com/' + 'x/'.repeat(N) + 'y.(*Z[' + 'int,'.repeat(N) + ']).M',
  'main.handler',
];

function pair(): { base: ReturnType<typeof decodeProfile>; target: ReturnType<typeof decodeProfile> } {
  const functions = HOSTILE_NAMES.map((name, i) => ({ id: i + 1, name, file: HOSTILE_FILES[i % HOSTILE_FILES.length] }));
  const locations = functions.map((f) => ({ id: f.id, lines: [{ functionId: f.id, line: 10 + f.id }] }));
  const stack = locations.map((l) => l.id);
  const profile = (objects: number) => decodeProfile(encodeProfile({
    sampleTypes: HEAP_TYPES,
    functions,
    locations,
    samples: [{ locations: stack, values: [objects, objects * 1048576, objects, objects * 1048576] }],
    period: 512 * 1024,
    periodType: ['space', 'bytes'],
  }));
  return { base: profile(1), target: profile(200) };
}

describe('diagnosis on hostile paths and names', () => {
  it('classifies frames with ~100 KB pathological paths and names in linear time', { timeout: 60_000 }, () => {
    const diagnosis = diagnose(pair());
    assert.ok(diagnosis.findings.length > 0, 'the 199 MiB growth is found');
    const first = diagnosis.findings[0];
    assert.ok(first.site.function.length > 1000, 'the hostile name is kept whole in the data');
  });
});
