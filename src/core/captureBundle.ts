import * as l10n from '@vscode/l10n';
import { CaptureError } from './capture';
import { type Profile, isGoroutineProfile, isHeapProfile } from './model';

// What one capture takes besides the heap profile, so a diagnosis has all it needs from one
// instant: the goroutine dump (stacks a heap profile cannot show, with wait reasons and minutes)
// and runtime.MemStats (where the process memory is), both served by net/http/pprof next to the
// heap profile. The sibling URLs are derived from the heap URL only: same origin, same directory.

/** BundleUrls are the extra URLs of a capture bundle. */
export interface BundleUrls {
  /** `<dir>/goroutine?debug=2`: the goroutine dump. */
  goroutine: string;
  /** `<dir>/heap?debug=1`: the heap profile as text, for its runtime.MemStats block. */
  memstats: string;
}

const URL_PARTS = /^(https?:\/\/[^/?#]*)([^?#]*)(\?[^#]*)?/;

/**
 * bundleUrls derives the goroutine and MemStats URLs from a heap URL whose path ends in `heap` or
 * `allocs` (net/http/pprof's names); other paths give undefined (nothing is guessed).
 */
export function bundleUrls(heapUrl: string): BundleUrls | undefined {
  const m = URL_PARTS.exec(heapUrl);
  if (!m) return undefined;
  const slash = m[2].lastIndexOf('/');
  const dir = m[2].slice(0, slash + 1);
  const last = m[2].slice(slash + 1);
  if (last !== 'heap' && last !== 'allocs') return undefined;
  return { goroutine: `${m[1]}${dir}goroutine?debug=2`, memstats: `${m[1]}${dir}heap?debug=1` };
}

/** validateGoroutineCapture decodes a goroutine dump response; anything else is refused before saving. */
export function validateGoroutineCapture(url: string, body: Uint8Array, decode: (bytes: Uint8Array) => Profile): Profile {
  const profile = decodeOrRefuse(url, body, decode, l10n.t('a goroutine profile'));
  if (!isGoroutineProfile(profile)) throw new CaptureError('not-a-profile', l10n.t('The response from {0} is not a goroutine profile', url));
  return profile;
}

/** validateMemStatsCapture decodes a heap?debug=1 response and checks it carries runtime.MemStats. */
export function validateMemStatsCapture(url: string, body: Uint8Array, decode: (bytes: Uint8Array) => Profile): Profile {
  const profile = decodeOrRefuse(url, body, decode, l10n.t('a heap profile with runtime.MemStats'));
  if (!isHeapProfile(profile) || !profile.memStats) throw new CaptureError('not-a-profile', l10n.t('The response from {0} has no runtime.MemStats block', url));
  return profile;
}

function decodeOrRefuse(url: string, body: Uint8Array, decode: (bytes: Uint8Array) => Profile, what: string): Profile {
  try {
    return decode(body);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new CaptureError('not-a-profile', l10n.t('The response from {0} is not {1}: {2}', url, what, why.split('\n')[0]));
  }
}

