import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../src/core/decode';
import {
  EXPLORER_COMMANDS, PROFILE_KINDS, type ProfileKind, acceptedLabels, accepts, editorSelectors, explorerWhen,
  fileNamePattern, notAcceptedReason, openDialogFilters, profileKindOf, textHeaders,
} from '../../../src/core/profileKinds';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { looksLikeProfile } from '../../../src/node/profileSniff';
import { encodeProfile } from '../../support/profileWriter';

// The profile-kinds table is the one place that says which files are profiles. package.json cannot
// import it, so its fragments are generated (`npm run manifest`) and compared here.

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/profiles/default/bodies');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** byName runs a generated file-name pattern the way VS Code runs `resourceFilename =~ /…/i`. */
const byName = (pattern: string) => (name: string) => new RegExp(pattern, 'i').test(name);

describe('profile kinds table', () => {
  it('package.json Explorer menus are generated from the table (run `npm run manifest` after editing it)', () => {
    const entries = manifest.contributes.menus['explorer/context'] as Array<{ command: string; when: string }>;
    for (const [command, spec] of Object.entries(EXPLORER_COMMANDS)) {
      const entry = entries.find((e) => e.command === command);
      assert.ok(entry, `${command} has an Explorer menu entry`);
      assert.equal(entry.when, explorerWhen(spec.action, spec.selection), command);
    }
  });

  it('package.json custom editor selectors are generated from the table', () => {
    const editor = (manifest.contributes.customEditors as Array<{ viewType: string; selector: unknown }>).find((e) => e.viewType === 'heaplens.profileEditor');
    assert.deepEqual(editor?.selector, editorSelectors());
  });

  it('recognises profile names, and not source files that merely mention heap', () => {
    const compare = byName(fileNamePattern('compare'));
    for (const name of ['good_heap.prof', 'x.PB.GZ', 'cpu.pprof', 'dump.pb', 'a.heap', 'heap', 'heap.txt', 'new.heap.txt', 'old-heap.out', 'HEAP']) assert.ok(compare(name), name);
    for (const name of ['heap.go', 'heap_test.go', 'main.go', 'notes.txt', 'mem.out', 'prof.go']) assert.ok(!compare(name), name);
  });

  it('the custom editor claims every extension but .pb, which other protobuf formats share', () => {
    assert.deepEqual(editorSelectors().map((s) => s.filenamePattern), ['*.prof', '*.pprof', '*.pb.gz', '*.heap']);
  });

  it('open dialogs offer the kinds’ endings and the text forms’ saved-as endings', () => {
    assert.deepEqual(openDialogFilters('compare'), { 'Heap or goroutine profiles': ['prof', 'pprof', 'gz', 'heap', 'pb', 'txt', 'out'], 'All files': ['*'] });
    assert.deepEqual(openDialogFilters('trend'), openDialogFilters('compare'), 'the extension’s trend takes heap and goroutine profiles');
  });

  it('a decoded profile’s kind comes from its sample types; other profiles are refused by name', () => {
    const heap = loadProfileFileSync(join(FIX, 'new.pb.gz'));
    assert.equal(profileKindOf(heap)?.id, 'heap');
    assert.equal(profileKindOf(loadProfileFileSync(join(FIX, 'new.heap.txt')))?.id, 'heap');
    assert.ok(accepts('compare', heap) && accepts('capture', heap));
    const cpu = decodeProfile(encodeProfile({ sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']], samples: [], locations: [], functions: [] }));
    assert.equal(profileKindOf(cpu), undefined);
    assert.equal(notAcceptedReason('compare', 'cpu.prof', cpu), 'cpu.prof: a pprof profile of samples, cpu, not a heap or goroutine profile');
    assert.equal(notAcceptedReason('compare', 'new.pb.gz', heap), undefined);
  });

  it('goroutine profiles in all three forms are a kind of their own, named and sniffed', () => {
    const dir = join(ROOT, 'test/fixtures/goroutineleak/profiles/default');
    const compare = byName(fileNamePattern('compare'));
    for (const name of ['goroutine.txt', 't1.goroutine-dump.txt', 'goroutine', 'goroutine-20240501-101010.txt', 't1.goroutine.pb.gz']) assert.ok(compare(name), name);
    assert.ok(!compare('goroutine.go'));
    for (const file of ['t1.goroutine.pb.gz', 't1.goroutine.txt', 't1.goroutine-dump.txt']) {
      const p = loadProfileFileSync(join(dir, file));
      assert.equal(profileKindOf(p)?.id, 'goroutine', file);
      assert.ok(accepts('open', p) && accepts('compare', p) && accepts('trend', p) && !accepts('capture', p), file);
      const head = new Uint8Array(readFileSync(join(dir, file)).subarray(0, 4096));
      if (!file.endsWith('.gz')) assert.ok(looksLikeProfile(head), `${file} sniffed`);
    }
  });

  it('content sniffing reads the kinds’ text headers', () => {
    assert.deepEqual(textHeaders(), ['heap profile:', 'goroutine profile:']);
    const head = readFileSync(join(FIX, 'new.heap.txt')).subarray(0, 64);
    assert.ok(looksLikeProfile(new Uint8Array(head)));
  });

  it('adding a kind is one row: names, dialogs, messages and menus follow', () => {
    const mutex: ProfileKind = {
      id: 'mutex', label: 'mutex profile', sampleTypes: ['contentions'], unit: 'count',
      extensions: ['.mutex'], editorExtensions: ['.mutex'], nameWords: ['mutex'], savedAs: ['.txt'],
      textHeaders: ['--- mutex:'], actions: ['open', 'compare'],
    };
    const kinds = [...PROFILE_KINDS, mutex];
    assert.ok(byName(fileNamePattern('compare', kinds))('mutex.txt'));
    assert.ok(!byName(fileNamePattern('trend', kinds))('mutex.txt'), 'trend does not take the new kind');
    assert.equal(acceptedLabels('compare', kinds), 'heap or goroutine or mutex profile');
    assert.ok(explorerWhen('open', 'single', kinds).includes('mutex'));
    assert.deepEqual(editorSelectors(kinds).map((s) => s.filenamePattern).slice(-1), ['*.mutex']);
    assert.deepEqual(textHeaders(kinds), ['heap profile:', 'goroutine profile:', '--- mutex:']);
    assert.ok(Object.keys(openDialogFilters('compare', kinds))[0] === 'Heap or goroutine or mutex profiles');
  });
});
