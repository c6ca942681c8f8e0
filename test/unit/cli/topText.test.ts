import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { topText } from '../../../src/cli/topCommand';
import { useTranslations } from '../../../src/core/language';
import type { TopTable } from '../../../src/core/top';

// `heaplens top` lines its columns up as pprof does, counting a CJK character as two terminal
// columns: in Chinese a row new in the comparison says 新 in its Δ% column.

const bundle = JSON.parse(readFileSync(join(__dirname, '../../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** width counts terminal columns as a terminal does for these characters (CJK: two). */
const width = (s: string): number => [...s].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);

describe('topText', () => {
  after(() => useTranslations('en', undefined));

  it('right-aligns every column, CJK cells counted two columns wide, in a comparison in Chinese', () => {
    useTranslations('zh-cn', bundle);
    const row = (name: string, flat: number, baseFlat: number) => ({ node: 0, name, file: '', line: 0, label: name, flat, cum: flat, baseFlat, baseCum: baseFlat });
    const table: TopTable = {
      rows: [row('main.grow', 1048576 * 300, 0), row('main.keep', 4096, 1048576), row('服务.处理', -512, 2048)],
      total: 1048576 * 2, dropped: 0, shownFlat: 1048576 * 300 + 4096 - 512,
    };
    const lines = topText('new.prof', 'base.prof', 'inuse_space', 'bytes', table, true).trimEnd().split('\n');
    const header = lines.findIndex((l) => l.includes('Δ%'));
    assert.ok(header > 0, lines.join('\n'));
    const rows = lines.slice(header + 1);
    assert.equal(rows.length, 3);
    assert.ok(rows[0].includes('新'), rows[0]);
    // Each line is "<columns>  <name>": the columns end at the same terminal column on every line.
    const columnsEnd = (l: string, name: string) => width(l.slice(0, l.lastIndexOf(`  ${name}`)));
    const expected = columnsEnd(lines[header], lines[header].split('  ').pop() ?? '');
    assert.deepEqual(rows.map((l, i) => columnsEnd(l, table.rows[i].label)), [expected, expected, expected], lines.join('\n'));
    // Every cell of the new row's Δ% column, 新, ends under the header's Δ%.
    assert.equal(width(rows[0].slice(0, rows[0].indexOf('新') + 1)), width(lines[header].slice(0, lines[header].indexOf('Δ%') + 2)));
  });
});
