import * as l10n from '@vscode/l10n';
// The display languages heaplens speaks. Everything user-visible is English unless the display
// language (VS Code's `vscode.env.language`, or the CLI's --lang / locale variables) is Chinese.

/** Language is a display language heaplens has text for. */
export type Language = 'en' | 'zh-cn';

/** LANGUAGES lists every Language, English first (the fallback). */
export const LANGUAGES: readonly Language[] = ['en', 'zh-cn'];

/** Localized is a text written in every display language (data such as diagnosis patterns). */
export type Localized = Record<Language, string>;

/**
 * languageOf maps a BCP 47 tag (`zh-cn`, `zh-Hans-CN`, VS Code's `zh-cn`) or a POSIX locale
 * (`zh_CN.UTF-8`, `zh_CN@pinyin`) to the Language heaplens shows: Simplified Chinese for zh-CN,
 * zh-SG, zh-Hans and bare `zh`; English for everything else, Traditional Chinese included (no text
 * for it yet, and Simplified is not a fair substitute).
 */
export function languageOf(tag: string | undefined): Language {
  if (!tag) return 'en';
  const t = tag.trim().toLowerCase().replace(/[.@].*$/, '').replace(/_/g, '-');
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t.startsWith('zh-hans')) return 'zh-cn';
  return 'en';
}

let current: Language = 'en';
let currentBundle: Record<string, string> = {};

/** setDisplayLanguage sets the language texts in data (diagnosis patterns) are shown in: the CLI's
 * --lang / locale, VS Code's display language. Messages go through @vscode/l10n, configured alongside. */
export function setDisplayLanguage(language: Language): void {
  current = language;
}

/** displayLanguage is the language set by setDisplayLanguage (English until then). */
export function displayLanguage(): Language {
  return current;
}

/**
 * useTranslations makes l10n.t() in core answer from `bundle` (VS Code's bundle for the display
 * language; {} or undefined for English) and sets the display language: for code that has no vscode
 * import of its own, such as the analysis worker, which writes the diagnosis' sentences.
 */
export function useTranslations(language: Language, bundle: Record<string, string> | undefined): void {
  currentBundle = bundle ?? {};
  l10n.config({ contents: currentBundle });
  setDisplayLanguage(language);
}

/**
 * translations is what useTranslations was last given, for a thread to pass to the workers it
 * starts (a decode worker's errors are worded there, in the display language).
 */
export function translations(): { language: Language; l10n: Record<string, string> } {
  return { language: current, l10n: currentBundle };
}

/** pick returns a Localized text in `language`, falling back to English when that text is empty. */
export function pick(text: Localized, language: Language): string {
  return text[language] || text.en;
}
