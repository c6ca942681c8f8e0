import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
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
  const run = (env: Record<string, string>, ...args: string[]) => {
    const { PATH, HOME } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { encoding: 'utf8', cwd: ROOT, env: { PATH, HOME, ...env } });
  };

  it('--json output is byte-identical whatever the language', () => {
    for (const cmd of [['report', '--json', `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`], ['top', '--json', '--diff-base', `${FIX}/base.pb.gz`, `${FIX}/new.pb.gz`]]) {
      const en = run({ LANG: 'en_US.UTF-8' }, ...cmd);
      const zhEnv = run({ LANG: 'zh_CN.UTF-8' }, ...cmd);
      const zhFlag = run({}, '--lang', 'zh-cn', ...cmd);
      assert.equal(en.status, 0, en.stderr);
      assert.ok(en.stdout.length > 100);
      assert.equal(zhEnv.stdout, en.stdout, cmd[0]);
      assert.equal(zhFlag.stdout, en.stdout, cmd[0]);
    }
  });

  it('usage mistakes are reported in the locale language, and --lang overrides the locale', () => {
    assert.match(run({ LANG: 'zh_CN.UTF-8' }, 'nosuch').stderr, /未知命令“nosuch”/);
    assert.match(run({ LC_ALL: 'zh_CN.UTF-8' }, '--lang', 'en', 'nosuch').stderr, /unknown command "nosuch"/);
    const bad = run({}, '--lang', 'fr', 'top');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--lang must be en or zh-cn/);
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
