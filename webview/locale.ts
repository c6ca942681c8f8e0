// The panel's display language (VS Code's, sent with init): counts and dates are written the way
// that language writes them. Units (MB, %) and pprof's own numbers keep their form.

let language = 'en';

/** setDisplayLanguage records the display language (a BCP 47 tag such as zh-cn) and marks the page. */
export function setDisplayLanguage(tag: string): void {
  language = tag || 'en';
  document.documentElement.lang = language;
}

/** formatCount writes an integer count with the display language's digit grouping (12,345). */
export function formatCount(n: number): string {
  return n.toLocaleString(language);
}

/**
 * formatDateTimeUtc writes a time (ms since the epoch) in UTC: ISO-like "2026-12-01 19:17:22 UTC" in
 * English (unambiguous across English-speaking regions), the language's own form otherwise
 * ("2026/12/01 19:17:22 UTC" in Chinese).
 */
export function formatDateTimeUtc(ms: number): string {
  const date = new Date(ms);
  if (language.startsWith('en')) return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
  return `${date.toLocaleString(language, {
    timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  })} UTC`;
}
