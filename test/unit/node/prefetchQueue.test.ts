import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Prefetch, PrefetchQueue } from '../../../src/node/prefetchQueue';

/** steps makes named steps that record their name in `ran` when run. */
const recorder = () => {
  const ran: string[] = [];
  const steps = (...names: string[]): Prefetch[] => names.map((n) => () => { ran.push(n); });
  const drain = (q: PrefetchQueue) => { for (let s = q.take(); s; s = q.take()) s.step(); return ran; };
  return { ran, steps, drain };
};

describe('PrefetchQueue', () => {
  const pair = { target: 1, base: 2 };
  const preview = { target: 3 };

  it('works on the pair of the newest query first, whatever order the answers came in', () => {
    const { steps, drain } = recorder();
    const q = new PrefetchQueue();
    q.replace(pair, 5, steps('pair a', 'pair b'));
    q.replace(preview, 4, steps('preview a'));
    assert.equal(q.size, 3);
    assert.deepEqual(drain(q), ['pair a', 'pair b', 'preview a']);
    assert.equal(q.size, 0);
  });

  it('a newer query replaces its own pair\'s steps only; an older one, or one with no steps, replaces nothing', () => {
    const { steps, drain } = recorder();
    const q = new PrefetchQueue();
    q.replace(pair, 2, steps('old view'));
    q.replace(preview, 3, steps('preview'));
    q.replace(pair, 4, steps('new view'));
    q.replace(pair, 1, steps('older still'));
    q.replace(pair, 6, []);
    assert.deepEqual(drain(q), ['new view', 'preview']);
  });

  it('a step that gave way is put back in front of its pair, unless a newer query of the pair came since', () => {
    const { steps, drain } = recorder();
    const q = new PrefetchQueue();
    q.replace(pair, 2, steps('a', 'b'));
    q.replace(preview, 1, steps('p'));
    q.take()?.putBack();
    const only = q.take();
    assert.ok(only);
    q.take()?.putBack(); // 'b' back in front
    only.putBack(); // 'a' back in front of 'b'
    assert.deepEqual(drain(q), ['a', 'b', 'p']);
    const { steps: steps2, drain: drain2 } = recorder();
    q.replace(pair, 3, steps2('x'));
    const x = q.take();
    q.replace(pair, 4, steps2('y'));
    x?.putBack();
    assert.deepEqual(drain2(q), ['y']);
  });

  it('drops the steps of every pair holding a released profile', () => {
    const { steps, drain } = recorder();
    const q = new PrefetchQueue();
    q.replace(pair, 1, steps('pair'));
    q.replace(preview, 2, steps('preview'));
    q.replace({ target: 3, base: 1 }, 3, steps('other'));
    q.drop(3);
    assert.deepEqual(drain(q), ['pair']);
  });
});
