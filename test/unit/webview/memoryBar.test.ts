import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatValue } from '../../../src/core/format';
import { memoryBreakdown, memoryParts } from '../../../src/core/memory/breakdown';
import { profileFacts } from '../../../src/core/profileSummary';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { MEMORY_PART_IDS, barLabel } from '../../../webview/memoryLabels';

// The Summary's process-memory bar: built from the heap profile's runtime.MemStats (debug=1 text),
// its parts in stacking order sum to Sys, and its accessible name reads every part.

const FIX = join(__dirname, '../../fixtures/goroutineleak/profiles/default');

describe('process memory bar', () => {
  for (const t of ['t1', 't3']) {
    it(`${t}.heap.txt: the parts the bar stacks sum to Sys, and the bar's name lists each with its size`, () => {
      const facts = profileFacts(`${t}.heap.txt`, loadProfileFileSync(join(FIX, `${t}.heap.txt`)));
      const m = memoryBreakdown(facts.memStats)!;
      const parts = memoryParts(m);
      assert.deepEqual(parts.map((p) => p.id), MEMORY_PART_IDS);
      assert.equal(parts.reduce((s, p) => s + p.bytes, 0), m.sys);
      const label = barLabel('new', m);
      assert.ok(label.startsWith(`new: Sys ${formatValue(m.sys, 'bytes')} = live heap `), label);
      assert.ok(label.includes(`goroutine stacks ${formatValue(m.stacks, 'bytes')}`), label);
    });
  }
});
