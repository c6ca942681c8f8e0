import * as l10n from '@vscode/l10n';
import * as path from 'node:path';

// What a capture tells the user besides "saved": some proxies pad a gzip body with zero bytes, which
// Go's gzip reader — so `go tool pprof` — refuses. heaplens saves the body without them (the padding
// carries nothing) and says so, naming the file and the bytes removed, rather than change it silently.
// No vscode import: the words are unit-tested; capture.ts shows them.

/** TrimmedCapture is a saved capture and the zero bytes removed after its gzip data. */
export interface TrimmedCapture {
  url: string;
  file: string;
  trimmedPadding: number;
}

/** paddingNote is the message for the captures whose padding was removed, or undefined when none was. */
export function paddingNote(saved: readonly TrimmedCapture[]): string | undefined {
  const padded = saved.filter((s) => s.trimmedPadding > 0);
  if (padded.length === 0) return undefined;
  const [first] = padded;
  if (padded.length === 1) {
    return l10n.t('heaplens: {0} padded its gzip data with {1} zero bytes; removed them so go tool pprof can read {2}', first.url, first.trimmedPadding, path.basename(first.file));
  }
  const bytes = padded.reduce((sum, s) => sum + s.trimmedPadding, 0);
  return l10n.t('heaplens: {0} padded its gzip data with zero bytes in {1} of {2} snapshots ({3} bytes in all); removed them so go tool pprof can read {4} and the others',
    first.url, padded.length, saved.length, bytes, path.basename(first.file));
}
