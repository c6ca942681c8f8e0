import * as l10n from '@vscode/l10n';
import { type Language, languageOf, useTranslations } from '../core/language';
import zhCn from '../../l10n/bundle.l10n.zh-cn.json';
import { UsageError } from './args';

// The CLI's display language: --lang en|zh-cn, else the POSIX locale variables in their order of
// precedence (LC_ALL, then LC_MESSAGES, then LANG; the first one set wins, as for gettext).
// Messages go through @vscode/l10n with the extension's own bundle, so the CLI and VS Code say the
// same thing in the same words. --json output never depends on the language.

/** BUNDLES are the translations per non-English language (English is the source text). */
const BUNDLES: Partial<Record<Language, Record<string, string>>> = { 'zh-cn': zhCn };

/** localeLanguage reads the language from LC_ALL / LC_MESSAGES / LANG (`zh_CN.UTF-8` → zh-cn). */
export function localeLanguage(env: NodeJS.ProcessEnv): Language {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return languageOf(locale);
}

/**
 * takeLanguage removes `--lang X` / `--lang=X` from argv (anywhere, so it works before or after the
 * subcommand) and returns the language it asks for, or the locale's.
 */
export function takeLanguage(argv: string[], env: NodeJS.ProcessEnv): { language: Language; rest: string[] } {
  let flag: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--lang') {
      flag = argv[++i];
      if (flag === undefined) throw new UsageError(l10n.t('--lang needs a value: en or zh-cn'));
    } else if (a.startsWith('--lang=')) {
      flag = a.slice('--lang='.length);
    } else {
      rest.push(a);
    }
  }
  if (flag === undefined) return { language: localeLanguage(env), rest };
  const f = flag.toLowerCase();
  if (f !== 'en' && f !== 'zh-cn') throw new UsageError(l10n.t('--lang must be en or zh-cn, not {0}', JSON.stringify(flag)));
  return { language: f, rest };
}

/** useLanguage makes l10n.t() answer in `language` for the rest of the process. */
export function useLanguage(language: Language): void {
  useTranslations(language, BUNDLES[language]);
}
