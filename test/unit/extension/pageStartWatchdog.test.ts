import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { reloadedHtml, watchPageStart } from '../../../src/extension/pageStartWatchdog';

// A webview page that never says ready is loaded again, a bounded number of times; one that does
// is left alone.

describe('watchPageStart', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('reloads a silent page after each timeout, at most `reloads` times', () => {
    const attempts: number[] = [];
    watchPageStart((a) => attempts.push(a), 1000, 2);
    mock.timers.tick(999);
    assert.deepEqual(attempts, []);
    mock.timers.tick(1);
    assert.deepEqual(attempts, [1]);
    mock.timers.tick(1000);
    assert.deepEqual(attempts, [1, 2]);
    mock.timers.tick(10_000);
    assert.deepEqual(attempts, [1, 2], 'no third reload');
  });

  it('does nothing once the page said ready, or after dispose', () => {
    const attempts: number[] = [];
    const ready = watchPageStart((a) => attempts.push(a), 1000, 2);
    mock.timers.tick(500);
    ready.ready();
    const gone = watchPageStart((a) => attempts.push(a + 10), 1000, 2);
    gone.dispose();
    mock.timers.tick(5000);
    assert.deepEqual(attempts, []);
  });

  it('a page that says ready after one reload is not reloaded again', () => {
    const attempts: number[] = [];
    const w = watchPageStart((a) => attempts.push(a), 1000, 3);
    mock.timers.tick(1000);
    w.ready();
    mock.timers.tick(5000);
    assert.deepEqual(attempts, [1]);
  });

  it('reloadedHtml differs from the page and from every other attempt', () => {
    const html = '<html><body>x</body></html>';
    assert.notEqual(reloadedHtml(html, 1), html);
    assert.notEqual(reloadedHtml(html, 1), reloadedHtml(html, 2));
    assert.ok(reloadedHtml(html, 1).startsWith(html));
  });
});
