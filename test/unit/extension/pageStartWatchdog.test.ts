import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { reloadedHtml, watchPageStart } from '../../../src/extension/pageStartWatchdog';

// A webview page that never says ready is loaded again, a bounded number of times; one that does
// is left alone.

describe('watchPageStart', () => {
  it('reloads a silent page after each timeout, at most `reloads` times', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
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
    } finally {
      mock.timers.reset();
    }
  });

  it('does nothing once the page said ready, or after dispose', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const attempts: number[] = [];
      const ready = watchPageStart((a) => attempts.push(a), 1000, 2);
      mock.timers.tick(500);
      ready.ready();
      const gone = watchPageStart((a) => attempts.push(a + 10), 1000, 2);
      gone.dispose();
      mock.timers.tick(5000);
      assert.deepEqual(attempts, []);
    } finally {
      mock.timers.reset();
    }
  });

  it('a page that says ready after one reload is not reloaded again', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const attempts: number[] = [];
      const w = watchPageStart((a) => attempts.push(a), 1000, 3);
      mock.timers.tick(1000);
      w.ready();
      mock.timers.tick(5000);
      assert.deepEqual(attempts, [1]);
    } finally {
      mock.timers.reset();
    }
  });

  it('reloadedHtml differs from the page and from every other attempt', () => {
    const html = '<html><body>x</body></html>';
    assert.notEqual(reloadedHtml(html, 1), html);
    assert.notEqual(reloadedHtml(html, 1), reloadedHtml(html, 2));
    assert.ok(reloadedHtml(html, 1).startsWith(html));
  });
});
