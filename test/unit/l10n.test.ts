import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { languageOf } from '../../src/core/language';
import { localeLanguage, takeLanguage } from '../../src/cli/language';

// Nothing is left untranslated: every %key% of package.json and every key of the l10n bundle has a
// zh-cn text that differs from the English one, except the proper names listed here.

const ROOT = resolve(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));

/** SAME_IN_CHINESE: texts that are proper names or pprof vocabulary, identical in every language. */
const SAME_IN_CHINESE = new Set<string>([
  'Top', // the panel tab named after pprof's -top report
]);

/** placeholders lists {0}, {1}… and `code spans` in a text, sorted: a translation keeps them all. */
function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\d+\}|`[^`]*`|\(command:[^)]*\)/g)].map((m) => m[0]).sort();
}

function checkTranslations(en: Record<string, string>, zh: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, text] of Object.entries(en)) {
    const z = zh[key];
    if (z === undefined) problems.push(`missing: ${key}`);
    else if (z === text && !SAME_IN_CHINESE.has(text)) problems.push(`untranslated: ${key}`);
    else if (placeholders(z).join('\n') !== placeholders(text).join('\n')) problems.push(`placeholders differ: ${key}`);
  }
  for (const key of Object.keys(zh)) if (!(key in en)) problems.push(`stale (no English): ${key}`);
  return problems;
}

/** Fields of package.json's contributes that VS Code shows to users. */
const SHOWN = /^(title|name|displayName|description|markdownDescription|contents|enumDescriptions|label)$/;
/** PROPER_NAMES may stay literal in package.json (the extension's own name as a category/title). */
const PROPER_NAMES = new Set(['heaplens']);

function literalStrings(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) node.forEach((v, i) => literalStrings(v, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (SHOWN.test(k) && typeof v === 'string' && !/^%[^%]+%$/.test(v) && !PROPER_NAMES.has(v)) out.push(`${path}.${k}: ${v}`);
      else literalStrings(v, `${path}.${k}`, out);
    }
  }
}

describe('package.nls', () => {
  const pkg = json('package.json');
  const en = json('package.nls.json');
  const zh = json('package.nls.zh-cn.json');

  it('every text VS Code shows from package.json is a %key% (no English literal left)', () => {
    const literals: string[] = [];
    literalStrings({ displayName: pkg.displayName, description: pkg.description, contributes: pkg.contributes }, 'package.json', literals);
    assert.deepEqual(literals, []);
  });

  it('every %key% used in package.json has an English text, and every English text is used', () => {
    const used = new Set([...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    assert.deepEqual([...used].filter((k) => !(k in en)), []);
    assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), []);
  });

  it('every package.nls key has a zh-cn text that differs from English', () => {
    assert.ok(Object.keys(en).length >= 30, `only ${Object.keys(en).length} keys`);
    assert.deepEqual(checkTranslations(en, zh), []);
  });
});

describe('l10n bundle', () => {
  const en = json('l10n/bundle.l10n.json');
  const zh = json('l10n/bundle.l10n.zh-cn.json');

  it('bundle.l10n.json is exactly what `npm run l10n` (@vscode/l10n-dev export) extracts from the sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'heaplens-l10n-'));
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/vscode-l10n-dev'), ['export', '--outDir', out, './src', './webview'], { cwd: ROOT, stdio: 'pipe' });
      assert.deepEqual(JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')), en, 'run `npm run l10n` and translate the new keys');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every bundle key has a zh-cn text that differs from English and keeps its placeholders', () => {
    assert.deepEqual(checkTranslations(en, zh), []);
  });

  it('the checker itself sees a missing, an untranslated and a broken translation', () => {
    assert.deepEqual(
      checkTranslations({ a: 'Open {0}', b: 'Close', c: 'Run `go`' }, { a: '打开', b: 'Close', d: 'x' }),
      ['placeholders differ: a', 'untranslated: b', 'missing: c', 'stale (no English): d'],
    );
  });
});

describe('display language', () => {
  it('maps VS Code and POSIX locale names', () => {
    for (const t of ['zh-cn', 'zh-CN', 'zh_CN.UTF-8', 'zh_CN.GB18030', 'zh_CN@pinyin', 'zh', 'zh-Hans', 'zh-Hans-CN', 'zh_SG']) {
      assert.equal(languageOf(t), 'zh-cn', t);
    }
    for (const t of [undefined, '', 'C', 'POSIX', 'C.UTF-8', 'en', 'en_US.UTF-8', 'zh_TW.UTF-8', 'zh-Hant', 'zh-hk', 'ja_JP.UTF-8']) {
      assert.equal(languageOf(t), 'en', String(t));
    }
  });

  it('the CLI follows LC_ALL, then LC_MESSAGES, then LANG; --lang overrides them', () => {
    assert.equal(localeLanguage({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(localeLanguage({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'en');
    assert.equal(localeLanguage({ LC_ALL: '', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
    assert.equal(localeLanguage({}), 'en');
    assert.deepEqual(takeLanguage(['report', '--lang', 'zh-cn', 'a', 'b'], {}), { language: 'zh-cn', rest: ['report', 'a', 'b'] });
    assert.deepEqual(takeLanguage(['--lang=en', 'top', 'p'], { LANG: 'zh_CN.UTF-8' }), { language: 'en', rest: ['top', 'p'] });
    assert.deepEqual(takeLanguage(['top', '--', '--lang', 'x'], {}), { language: 'en', rest: ['top', '--', '--lang', 'x'] });
    assert.throws(() => takeLanguage(['--lang', 'fr'], {}), /en or zh-cn/);
    assert.throws(() => takeLanguage(['--lang'], {}), /needs a value/);
  });
});

describe('the CLI in Chinese', () => {
  const FIX = join(ROOT, 'test/fixtures/profiles/default/bodies');
  const GL = join(ROOT, 'test/fixtures/goroutineleak/profiles/default');
  const run = (env: Record<string, string>, ...args: string[]) => {
    const { PATH, HOME } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { encoding: 'utf8', cwd: ROOT, env: { PATH, HOME, ...env } });
  };

  it('--json output is byte-identical whatever the language (report, top, trend)', () => {
    const DEF = join(ROOT, 'test/fixtures/profiles/default');
    const commands = [
      ['report', '--json', `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`],
      // A diagnosis with a pattern, its evidence sentence and notes: every word of it stays English.
      ['report', '--json', `${DEF}/compressors/base.pb.gz`, `${DEF}/compressors/new.pb.gz`],
      ['top', '--json', '--diff-base', `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`],
      // Text profiles carry MemStats: the memory series is in the object too.
      ['trend', '--json', `${DEF}/churn/base.heap.txt`, `${FIX}/base.heap.txt`, `${FIX}/new.heap.txt`],
      // Goroutine comparison (findings with patterns, advice and notes) and a goroutine trend.
      ['report', '--json', `${GL}/t0.goroutine.txt`, `${GL}/t3.goroutine.txt`],
      ['report', '--json', `${GL}/t0.goroutine-dump.txt`, `${GL}/t3.goroutine-dump.txt`],
      ['trend', '--json', `${GL}/t0.goroutine.pb.gz`, `${GL}/t1.goroutine.pb.gz`, `${GL}/t2.goroutine.pb.gz`, `${GL}/t3.goroutine.pb.gz`],
    ];
    for (const cmd of commands) {
      const en = run({ LANG: 'en_US.UTF-8' }, ...cmd);
      const zhEnv = run({ LANG: 'zh_CN.UTF-8' }, ...cmd);
      const zhFlag = run({}, '--lang', 'zh-cn', ...cmd);
      assert.equal(en.status, 0, en.stderr);
      assert.ok(en.stdout.startsWith('{') && en.stdout.length > 10, `${cmd[0]}: ${en.stdout}`);
      assert.equal(zhEnv.stdout, en.stdout, cmd[0]);
      assert.equal(zhFlag.stdout, en.stdout, cmd[0]);
      assert.doesNotMatch(en.stdout, /[\u4e00-\u9fff]/, `${cmd[0]}: no Chinese in --json`);
    }
  });

  it('text output of report, top and trend is Chinese, with pprof\'s column names kept', () => {
    const DEF = join(ROOT, 'test/fixtures/profiles/default');
    const report = run({ LANG: 'zh_CN.UTF-8' }, 'report', `${DEF}/compressors/base.pb.gz`, `${DEF}/compressors/new.pb.gz`);
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, /^# 堆增长报告\n/);
    for (const label of ['## 总计', '## 发现', '**为何归为此类：**', '**模式：**', '**修复：**', '**调用路径**', '| 采样类型 | 基线 | 新 |']) assert.ok(report.stdout.includes(label), label);
    // Outside code spans and links (profile data), no English sentence is left.
    const prose = report.stdout.replace(/`[^`]*`/g, '').replace(/\]\([^)]*\)/g, ']');
    for (const english of ['Heap growth report', 'Totals', 'Findings', 'Why this kind', 'Fix:', 'Call path', 'Pattern:', 'Ranked by', 'Seen in the profile', 'allocated', 'kept', 'on the call path', 'your line']) {
      assert.ok(!prose.includes(english), `English left in the report: ${english}`);
    }
    const top = run({ LANG: 'zh_CN.UTF-8' }, 'top', '--diff-base', `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`);
    assert.match(top.stdout, /^文件：.*\n类型：inuse_space\n显示的节点合计 /);
    assert.match(top.stdout, /\n\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s+基线\s+新\s+Δ%\s+名称\n/);
    const trend = run({ LANG: 'zh_CN.UTF-8' }, 'trend', `${DEF}/churn/base.pb.gz`, `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`);
    assert.equal(trend.status, 0, trend.stderr);
    assert.match(trend.stdout, /^inuse_space 在 3 个 profile 中历时 .* 的趋势（排序依据：profile 时间戳）\n/);
    assert.match(trend.stdout, /\/分钟  上升 \d+\/\d+ /);
  });

  it('the goroutine comparison report is Chinese: labels, patterns, advice, notes and the headline', () => {
    for (const [base, target] of [['t0.goroutine-dump.txt', 't3.goroutine-dump.txt'], ['t0.goroutine.txt', 't3.goroutine.txt']]) {
      const r = run({ LANG: 'zh_CN.UTF-8' }, 'report', `${GL}/${base}`, `${GL}/${target}`);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^# goroutine 增长报告\n\n基线 `.*` → 新 `.*`\n\n\*\*goroutine\*\* 从 7 个变为 998 个（\+991）。增长最多的在 /);
      assert.ok(r.stdout.includes('## goroutine 堆积在哪里'), base);
      for (const label of ['- **数量**：', '- **修复**：']) assert.ok(r.stdout.includes(label), `${base}: ${label}`);
      // Outside code spans and links (profile data, wait reasons are the runtime's), no English prose.
      const prose = r.stdout.replace(/`[^`]*`/g, '').replace(/\]\([^)]*\)/g, ']').replace(/chan receive|select|semacquire|IO wait|sync\.Cond\.Wait|sleep/g, '');
      for (const english of ['Goroutine growth', 'went from', 'Where goroutines', 'Count', 'Waiting', 'Started by', 'Pattern', 'Fix', 'Stack', 'minute', 'longest', 'debug=1 text hides', 'only in dumps', 'receiving from', 'make sure']) {
        assert.ok(!prose.includes(english), `${base}: English left: ${english}`);
      }
    }
    const dump = run({ LANG: 'zh_CN.UTF-8' }, 'report', `${GL}/t0.goroutine-dump.txt`, `${GL}/t3.goroutine-dump.txt`).stdout;
    assert.match(dump, /- \*\*模式\*\*：从一个无人发送、也无人关闭的 channel 接收\n/);
    assert.match(dump, /- \*\*已等待\*\*：750 个中有 250 个 ≥ 1 分钟（最长 \d+ 分钟）\n/);
    const trend = run({ LANG: 'zh_CN.UTF-8' }, 'trend', `${GL}/t0.goroutine.pb.gz`, `${GL}/t1.goroutine.pb.gz`, `${GL}/t2.goroutine.pb.gz`, `${GL}/t3.goroutine.pb.gz`);
    assert.equal(trend.status, 0, trend.stderr);
    assert.match(trend.stdout, /^goroutine 在 4 个 profile 中历时 .* 的趋势/);
    assert.doesNotMatch(trend.stdout.replace(/^ +\S+ \/\S+$/gm, ''), /\b(Trend|steps|suspects|rising|rose)\b/);
  });

  it('usage mistakes are reported in the locale language, and --lang overrides the locale', () => {
    assert.match(run({ LANG: 'zh_CN.UTF-8' }, 'nosuch').stderr, /未知命令“nosuch”/);
    assert.match(run({ LC_ALL: 'zh_CN.UTF-8' }, '--lang', 'en', 'nosuch').stderr, /unknown command "nosuch"/);
    const bad = run({}, '--lang', 'fr', 'top');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--lang must be en or zh-cn/);
  });
});

describe('errors in Chinese', () => {
  const run = (env: Record<string, string>, ...args: string[]) => {
    const { PATH, HOME } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { encoding: 'utf8', cwd: ROOT, env: { PATH, HOME, ...env } });
  };
  const dir = mkdtempSync(join(tmpdir(), 'heaplens-l10n-errors-'));
  const gz = readFileSync(join(ROOT, 'test/fixtures/profiles/default/bodies/new.pb.gz'));
  const files = {
    text: join(dir, 'notes.prof'), truncated: join(dir, 'cut.pb.gz'), empty: join(dir, 'empty.prof'),
  };
  writeFileSync(files.text, 'hello world\n');
  writeFileSync(files.truncated, gz.subarray(0, gz.length >> 1));
  writeFileSync(files.empty, '');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad profile is one Chinese line naming the file, with the technical detail kept', () => {
    const cases: Array<[args: string[], zh: RegExp, en: RegExp]> = [
      [['top', files.text], /^heaplens: .*notes\.prof：不是 pprof profile：它是以“hello world”开头的文本\n$/, /notes\.prof: not a pprof profile: it is text starting "hello world"/],
      [['top', files.truncated], /^heaplens: .*cut\.pb\.gz：gzip 数据不完整（数据流提前结束）\n$/, /cut\.pb\.gz: gzip data is truncated/],
      [['top', files.empty], /^heaplens: .*empty\.prof：文件为空\n$/, /empty\.prof: the file is empty/],
      [['top', dir], /：是目录，不是 profile 文件\n$/, /: is a directory, not a profile file/],
      [['top', join(dir, 'nosuch.prof')], /nosuch\.prof：无法作为 profile 读取（文件不存在）\n$/, /nosuch\.prof: could not be read as a profile \(no such file\)/],
      [['top', '--max-size-mb', '1', '--diff-base', files.text, join(ROOT, 'test/fixtures/profiles/default/bodies/new.pb.gz')], /notes\.prof：不是 pprof profile/, /not a pprof profile/],
      [['report', files.text, files.empty], /notes\.prof：不是 pprof profile/, /not a pprof profile/],
    ];
    for (const [args, zh, en] of cases) {
      const z = run({ LANG: 'zh_CN.UTF-8' }, ...args);
      assert.equal(z.status, 1, args.join(' '));
      assert.match(z.stderr, zh, args.join(' '));
      assert.match(run({ LANG: 'zh_CN.UTF-8' }, '--lang', 'en', ...args).stderr, en, args.join(' '));
    }
  });

  it('usage mistakes are Chinese: unknown flags, missing values, bad numbers, a bad --lang, missing arguments', () => {
    const x = join(ROOT, 'test/fixtures/profiles/default/bodies/new.pb.gz');
    const cases: Array<[args: string[], zh: RegExp]> = [
      [['top', '--bogus', x], /^heaplens top: 未知选项 --bogus\n用法：/],
      [['top', '--json=1', x], /--json 不接受值/],
      [['top', x, '--focus'], /--focus 需要一个值/],
      [['top', '--nodecount', 'many', x], /--nodecount 必须是非负整数，而不是 "many"/],
      [['top', '--focus', '(', x], /--focus "\(" 不是有效的正则表达式/],
      [['top'], /top 只接受一个 PROFILE/],
      [['--lang', 'fr', 'top', x], /^heaplens: --lang 必须是 en 或 zh-cn，而不是 "fr"\n用法：/],
      [['top', x, '--lang'], /--lang 需要一个值：en 或 zh-cn/],
    ];
    for (const [args, zh] of cases) {
      const z = run({ LANG: 'zh_CN.UTF-8' }, ...args);
      assert.equal(z.status, 2, `${args.join(' ')}: ${z.stderr}`);
      assert.match(z.stderr, zh, args.join(' '));
      assert.doesNotMatch(z.stderr.split('\n')[0], /\b(unknown|needs|must|takes|not a)\b/, args.join(' '));
    }
    // With --json the words stay English whatever the locale (the output is for programs).
    assert.match(run({ LANG: 'zh_CN.UTF-8' }, 'top', '--json', files.text).stderr, /not a pprof profile/);
  });

  it('capture problems are Chinese: a bad URL, a refused connection', () => {
    const bad = run({ LANG: 'zh_CN.UTF-8' }, 'capture', 'ftp://example.com/x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^heaplens capture: “ftp:\/\/example\.com\/x”：只能从 http 和 https URL 采集\n/);
    // Port 9 (discard) on localhost: nothing listens there in a test sandbox.
    const refused = run({ LANG: 'zh_CN.UTF-8' }, 'capture', '--heap-only', '--out', dir, '127.0.0.1:9');
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /^heaplens: http:\/\/127\.0\.0\.1:9\/debug\/pprof\/heap 拒绝连接 — 服务是否在运行，并且启用了 net\/http\/pprof？/);
  });
});

describe('diagnosis patterns in both languages', () => {
  it('every pattern of the table has a zh-cn title, explanation and advice that differ from the English', async () => {
    const { GROWTH_PATTERNS, patternText } = await import('../../src/core/diagnose/patterns');
    assert.ok(GROWTH_PATTERNS.length >= 6);
    for (const p of GROWTH_PATTERNS) {
      const zh = patternText({ ...p }, 'zh-cn');
      const en = patternText({ ...p }, 'en');
      for (const k of ['title', 'explanation', 'advice'] as const) {
        assert.ok(zh[k] && zh[k] !== en[k] && /[\u4e00-\u9fff]/.test(zh[k]), `${p.id}.${k}`);
        assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `${p.id}.${k} code spans`);
      }
    }
  });
});

describe('goroutine patterns in both languages', () => {
  it('every goroutine pattern, the general advice and the all-clear have zh-cn text that differs from the English', async () => {
    const { GOROUTINE_PATTERNS, GENERAL_GOROUTINE_ADVICE, FEWER_GOROUTINES_ADVICE, goroutinePatternText } = await import('../../src/core/goroutines/patterns');
    assert.ok(GOROUTINE_PATTERNS.length >= 10);
    for (const p of GOROUTINE_PATTERNS) {
      const zh = goroutinePatternText(p, 'zh-cn');
      const en = goroutinePatternText(p, 'en');
      for (const k of ['name', 'advice'] as const) {
        assert.ok(zh[k] !== en[k] && /[\u4e00-\u9fff]/.test(zh[k]), `${p.id}.${k}`);
        assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `${p.id}.${k} code spans`);
      }
    }
    for (const t of [GENERAL_GOROUTINE_ADVICE, FEWER_GOROUTINES_ADVICE]) assert.ok(t['zh-cn'] !== t.en && /[\u4e00-\u9fff]/.test(t['zh-cn']), t.en);
  });

  it("a finding's advice is English (what --json says) and goroutineAdvice says the same in English", async () => {
    const { loadProfileFileSync } = await import('../../src/node/loadProfile');
    const { compareGoroutines } = await import('../../src/core/goroutines/compare');
    const { goroutineAdvice } = await import('../../src/core/goroutines/patterns');
    const GL = join(ROOT, 'test/fixtures/goroutineleak/profiles/default');
    const c = compareGoroutines(loadProfileFileSync(`${GL}/t3.goroutine-dump.txt`), loadProfileFileSync(`${GL}/t0.goroutine-dump.txt`));
    const c2 = compareGoroutines(loadProfileFileSync(`${GL}/t0.goroutine-dump.txt`), loadProfileFileSync(`${GL}/t3.goroutine-dump.txt`));
    const all = [...c.findings, ...c2.findings];
    assert.ok(all.some((f) => f.pattern) && all.some((f) => f.delta.goroutines < 0));
    for (const f of all) {
      assert.equal(goroutineAdvice(f, 'en'), f.advice, f.site.function);
      assert.match(goroutineAdvice(f, 'zh-cn'), /[\u4e00-\u9fff]/, f.site.function);
    }
  });
});

describe('nothing user-facing bypasses the translations', () => {
  it('kindAdvice says exactly KIND_ADVICE in English (the --json text and the shown text cannot drift apart)', async () => {
    const { KIND_ADVICE, kindAdvice } = await import('../../src/core/diagnose/explain');
    for (const kind of ['retained', 'churn', 'shrinking', 'goroutines'] as const) assert.equal(kindAdvice(kind), KIND_ADVICE[kind], kind);
  });

  it("the panel's columns and the kinds come out in Chinese with the zh-cn bundle", async () => {
    const l10n = await import('@vscode/l10n');
    const { shownColumns } = await import('../../webview/topTableColumns');
    const { kindName } = await import('../../src/core/diagnose/kind');
    l10n.config({ contents: json('l10n/bundle.l10n.zh-cn.json') });
    try {
      // pprof's column names stay; ours are Chinese, and every tooltip is.
      assert.deepEqual(shownColumns(true).map((c) => c.title), ['flat Δ', 'flat%', 'sum%', 'cum Δ', 'cum%', '基线', '新', 'Δ', 'Δ%', '名称']);
      for (const c of shownColumns(true)) assert.match(c.tip, /[\u4e00-\u9fff]/, c.id);
      assert.deepEqual((['retained', 'churn', 'shrinking', 'goroutines'] as const).map(kindName), ['保留', '分配抖动', '缩减', 'goroutine']);
    } finally {
      l10n.config({ contents: {} });
    }
    assert.equal(shownColumns(true)[5].title, 'base', 'English again without the bundle');
  });

  /**
   * EXEMPT: literals of three or more words that are not shown to users (class names, log lines for
   * the output channel, internal errors that never reach a surface, text the runtime prints that a
   * parser looks for) or that --json says in English while the surfaces show a translation checked
   * elsewhere, by file and a part of the text.
   */
  const EXEMPT: Array<[file: string, part: string]> = [
    ['webview/app.ts', 'codicon'], ['webview/dom.ts', 'codicon'], ['webview/topTable.ts', 'codicon'], ['webview/topTable.ts', 'cell num col-'],
    ['webview/graphvizLoader.ts', 'the Graphviz bundle'], // detail after the translated "could not be laid out"
    ['webview/main.ts', 'blocked by the content security policy'], // to the output channel
    ['src/extension/panel/panelController.ts', 'panel: '], // output channel timings
    ['src/extension/hotspots/hotspotTree.ts', 'function finding unresolved'], // contextValues
    ['src/extension/goroutines/goroutineTree.ts', 'goroutine site unresolved'],
    ['src/extension/profiles/session.ts', 'growth diagnosis needs a comparison'], // rejected before any surface asks
    ['src/extension/report/reportDiagnosis.ts', 'growth diagnosis needs a comparison'],
    // What Go's runtime prints in a goroutine dump, matched by the parser.
    ['src/core/decode/goroutineDump.ts', 'unexpected fault address'], ['src/core/decode/goroutineDump.ts', '[originating from goroutine '],
    ['src/core/decode/goroutineDump.ts', 'goroutine running on other thread'],
    ['src/core/decode/gzip.ts', 'over the size cap'], // a Symbol's description, never shown
    ['src/core/peek.ts', 'peek needs an aggregate computed with edges'], // a programming error
    // --json's English; the surfaces show kindAdvice (kept equal to KIND_ADVICE by a test above).
    ['src/core/diagnose/explain.ts', 'Cause unknown: no known pattern shows on this path. Memory allocated here'],
    ['src/core/diagnose/explain.ts', 'Allocated and freed again'], ['src/core/diagnose/explain.ts', 'Memory here was released'],
    ['src/core/diagnose/explain.ts', 'Cause unknown: goroutines grew'],
    // A heap finding's advice in --json when goroutines hold it; the report shows kindAdvice('goroutines').
    ['src/core/goroutines/blockedAt.ts', 'This memory lives as long as the goroutines'], ['src/core/goroutines/blockedAt.ts', 'Make them exit'],
  ];

  /**
   * DATA_TABLES: files whose English text columns have a zh-cn sibling in the same row (checked by
   * the pattern tests above); lines holding one of these keys are English by design.
   */
  const DATA_TABLES: Array<[file: string, keys: RegExp]> = [
    ['src/core/diagnose/patternTable.ts', /^\s*(title|explanation|advice):/],
    ['src/core/goroutines/patterns.ts', /^\s*(name|advice|en):/],
  ];

  const sourceFiles = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [`${dir}/${e.name}`] : []));

  /** untranslated lists the literal sentences (3+ English words) in `files` not passed to l10n.t, and error messages built from a literal. */
  function untranslated(files: string[], read: (file: string) => string): string[] {
    const left: string[] = [];
    for (const file of files) {
      const table = DATA_TABLES.find(([f]) => f === file)?.[1];
      read(file).split('\n').forEach((line, i) => {
        const t = line.trim();
        // Comments, imports and usage lines (command syntax: the same in every language) are not text.
        if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/**') || t.startsWith('import ') || /_USAGE = /.test(t)) return;
        if (table?.test(line)) return;
        // An error users see, built from a literal message: whatever its length, it must go through l10n.t.
        // (A template that starts with ${…} composes translated parts.)
        const error = /new (ProfileError|CaptureError)\(\s*'[^']*',\s*(['"]|`(?!\$\{))|new (UsageError|CliError)\(\s*(['"]|`(?!\$\{))/.exec(line);
        if (error) left.push(`${file}:${i + 1}: ${error[0]}… (an error message not passed to l10n.t)`);
        for (const m of line.matchAll(/(['`])((?:(?!\1)[^\\]|\\.)*)\1/g)) {
          // Three English words in a row, outside ${…}: a sentence, unless l10n.t( is right before it.
          if (!/\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b/.test(m[2].replace(/\$\{[^}]*\}/g, ''))) continue;
          if (/l10n\.t\(\s*$/.test(line.slice(0, m.index)) || m[2].includes('l10n.t(')) continue;
          if (EXEMPT.some(([f, part]) => f === file && m[2].includes(part))) continue;
          left.push(`${file}:${i + 1}: ${m[2].slice(0, 80)}`);
        }
      });
    }
    return left;
  }

  it('every literal sentence and error message in src/ and webview/ goes through l10n.t', () => {
    const scanned = [...sourceFiles('webview'), ...sourceFiles('src')];
    assert.ok(scanned.length > 150 && scanned.includes('src/core/decode/wire.ts') && scanned.includes('src/cli/args.ts'), `${scanned.length} files`);
    assert.deepEqual(untranslated(scanned, (f) => readFileSync(join(ROOT, f), 'utf8')), []);
  });

  it('the scanner sees an untranslated sentence, a short error message, a data table row and what is exempt', () => {
    const fake: Record<string, string> = {
      'src/core/decode/x.ts': [
        "throw new ProfileError('corrupt', `bad varint: ${pos}`);",
        "throw new CliError(`${describeError(path, e)}${l10n.t(' (--max-size-mb N raises it)')}`);",
        "throw new ProfileError('corrupt', l10n.t('bad varint at {0}', pos));",
        "if (!x) throw new UsageError('no flag');",
        "return `the goroutine dump is missing`;",
        "const ok = l10n.t('the goroutine dump is missing');",
        '// a comment with many English words in it',
      ].join('\n'),
      'src/core/goroutines/patterns.ts': "    advice: 'Close the channel when done.',\n    other: 'Close the channel when done.',",
      'src/core/peek.ts': "throw new Error('peek needs an aggregate computed with edges');",
    };
    assert.deepEqual(untranslated(Object.keys(fake), (f) => fake[f]), [
      "src/core/decode/x.ts:1: new ProfileError('corrupt', `… (an error message not passed to l10n.t)",
      'src/core/decode/x.ts:4: new UsageError(\'… (an error message not passed to l10n.t)',
      'src/core/decode/x.ts:5: the goroutine dump is missing',
      'src/core/goroutines/patterns.ts:2: Close the channel when done.',
    ]);
  });
});
