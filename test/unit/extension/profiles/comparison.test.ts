import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { orderComparison } from '../../../../src/core/comparisonOrder';
import { orderSampleTypes, preferredSampleType, sampleTypeDescription, sampleTypeShortName } from '../../../../src/extension/profiles/sampleTypes';
import { commandHref, problemPageHtml } from '../../../../src/extension/profiles/profilePage';

// Which profile is the base, which sample type a comparison starts on and how it is described, and
// the custom editor's problem page.

const FIXTURES = join(__dirname, '../../../fixtures');
const entry = (file: string) => ({ file, profile: loadProfileFileSync(join(FIXTURES, 'profiles/default/bodies', file)) });

describe('the base of a comparison', () => {
  it('is the profile taken first, whatever order the files were selected in', () => {
    const good = entry('base.pb.gz');
    const bad = entry('new.pb.gz');
    assert.ok(good.profile.timeNanos > 0 && good.profile.timeNanos < bad.profile.timeNanos);
    for (const [first, second] of [[good, bad], [bad, good]]) {
      const order = orderComparison(first, second, (e) => e.profile.timeNanos);
      assert.equal(order.base.file, 'base.pb.gz');
      assert.equal(order.target.file, 'new.pb.gz');
      assert.equal(order.reason, 'time');
    }
  });

  it('falls back to selection order for heap profile text, which carries no time', () => {
    const good = entry('base.heap.txt');
    const bad = entry('new.heap.txt');
    assert.equal(good.profile.timeNanos, 0);
    const order = orderComparison(bad, good, (e) => e.profile.timeNanos);
    assert.deepEqual([order.base.file, order.target.file, order.reason], ['new.heap.txt', 'base.heap.txt', 'selection']);
  });
});

describe('sample types', () => {
  it('are described in plain words and ordered live memory first', () => {
    assert.equal(sampleTypeDescription('inuse_space'), 'live memory now (bytes)');
    assert.equal(sampleTypeDescription('alloc_space'), 'everything allocated since the program started (bytes)');
    assert.equal(sampleTypeDescription('alloc_objects'), 'objects allocated since start');
    assert.equal(sampleTypeShortName('inuse_space'), 'inuse');
    assert.deepEqual(orderSampleTypes(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']), ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']);
  });

  it('a comparison starts on pprof\'s default when both profiles have it, else the first common type', () => {
    assert.equal(preferredSampleType('inuse_space', ['alloc_space', 'inuse_space']), 'inuse_space');
    assert.equal(preferredSampleType('inuse_space', ['objects', 'space']), 'space');
    assert.equal(preferredSampleType('inuse_space', []), undefined);
  });
});

describe('the problem page of the profile editor', () => {
  it('escapes file names and messages, allows no scripts, links actions as commands', () => {
    const html = problemPageHtml({
      cspSource: 'vscode-resource:',
      styleHref: 'vscode-resource:/media/profileProblem.css',
      title: 'Not a Go heap profile',
      message: '<img src=x onerror=alert(1)>.prof: not a pprof profile: it is text starting "<script>"',
      severity: 'notice',
      actions: [{ label: 'Open as text', href: commandHref('heaplens.openAsText', ['file:///w/"x".prof']) }],
    });
    assert.ok(!html.includes('<img'), html);
    assert.ok(!html.includes('<script'), html);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.prof'));
    assert.match(html, /content="default-src &#39;none&#39;; style-src vscode-resource:"/);
    assert.ok(html.includes('href="command:heaplens.openAsText?%5B%22file%3A%2F%2F%2Fw%2F%5C%22x%5C%22.prof%22%5D"'), html);
  });
});
