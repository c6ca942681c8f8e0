import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import type { Profile } from './model';
import { acceptedLabels, accepts } from './profileKinds';

// The pure half of capturing a heap profile from a live Go service: what URL to fetch, what to
// call the saved file, and how every failure reads. The Node half (http, files) is in
// src/extension/captureHttp.ts and captureStore.ts; both the extension and the CLI use them.

/** CaptureOptions are the two query switches of net/http/pprof's heap handler. */
export interface CaptureOptions {
  /** gc=1: run a garbage collection first, so in-use numbers are current rather than as of the last GC. */
  gc?: boolean;
  /** debug=1: the legacy text form (readable, with runtime.MemStats) instead of gzipped profile.proto. */
  debug?: boolean;
}

/** CaptureErrorCode classifies why a capture failed. */
export type CaptureErrorCode =
  | 'bad-url'
  | 'refused'
  | 'unresolved-host'
  | 'timeout'
  | 'network'
  | 'tls'
  | 'http-status'
  | 'redirect'
  | 'too-large'
  | 'not-a-profile'
  | 'cancelled';

/** CaptureError is a capture failure phrased for the user: one line that names the URL. */
export class CaptureError extends Error {
  /** code lets callers react (e.g. offer to retry on a timeout). */
  readonly code: CaptureErrorCode;

  constructor(code: CaptureErrorCode, message: string) {
    super(message);
    this.name = 'CaptureError';
    this.code = code;
  }
}

/** HEAP_PATH is where net/http/pprof serves the heap profile. */
export const HEAP_PATH = '/debug/pprof/heap';

const URL_SHAPE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
const AUTHORITY = /^(?:[^@/]*@)?(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9._~%-]+)(?::(\d{1,5}))?$/;

/**
 * captureUrl turns what the user typed into the URL to fetch: `host:port` alone means
 * `http://host:port/debug/pprof/heap`, `:6060` means localhost, a URL with no path gets the heap
 * path, and the gc/debug switches become query parameters (other parameters are kept).
 */
export function captureUrl(input: string, options: CaptureOptions = {}): string {
  const text = input.trim();
  if (text === '') throw new CaptureError('bad-url', l10n.t('Enter the address of a Go service, e.g. 127.0.0.1:6060 or http://host:6060/debug/pprof/heap'));
  let withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) ? text : `http://${text.startsWith(':') ? `localhost${text}` : text}`;
  if (/^\d+$/.test(text)) withScheme = `http://localhost:${text}`;
  const m = URL_SHAPE.exec(withScheme);
  if (!m) throw new CaptureError('bad-url', l10n.t('"{0}" is not a URL', text));
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new CaptureError('bad-url', l10n.t('"{0}": only http and https URLs can be captured', text));
  const authority = AUTHORITY.exec(m[2]);
  if (!authority) throw new CaptureError('bad-url', l10n.t('"{0}" has no valid host', text));
  if (authority[2] !== undefined && (Number(authority[2]) < 1 || Number(authority[2]) > 65535)) {
    throw new CaptureError('bad-url', l10n.t('"{0}": port {1} is outside 1–65535', text, authority[2]));
  }
  const path = m[3] === '' || m[3] === '/' ? HEAP_PATH : m[3];
  const query = withQuery(m[4] ? m[4].slice(1) : '', options);
  return `${scheme}://${m[2]}${path}${query ? `?${query}` : ''}`;
}

/** withQuery sets gc=1 / debug=1 in a query string, keeping every other parameter in order. */
function withQuery(query: string, options: CaptureOptions): string {
  const params = query === '' ? [] : query.split('&').filter((p) => p !== '');
  const set = (name: string): void => {
    const i = params.findIndex((p) => p.split('=')[0] === name);
    if (i >= 0) params[i] = `${name}=1`;
    else params.push(`${name}=1`);
  };
  if (options.gc) set('gc');
  if (options.debug) set('debug');
  return params.join('&');
}

/** originOf returns `scheme://host:port` of an absolute http(s) URL (default ports made explicit). */
export function originOf(url: string): string {
  const m = URL_SHAPE.exec(url);
  if (!m) return '';
  const scheme = m[1].toLowerCase();
  const host = m[2].replace(/^[^@]*@/, '').toLowerCase();
  const hasPort = /:\d+$/.test(host);
  return `${scheme}://${hasPort ? host : `${host}:${scheme === 'https' ? 443 : 80}`}`;
}

/**
 * redirectTarget resolves a redirect's Location against the URL that sent it and refuses to leave
 * the origin: a capture sends nothing anywhere except the service the user named.
 */
export function redirectTarget(from: string, location: string): string {
  // The WHATWG URL parser is the one the HTTP client uses, so what is compared is what would be
  // fetched: `http://h:B\@h:A/` is port B to both (a backslash is a slash in http URLs), default
  // ports read as empty, host names are lower-cased and IPv6 forms canonical.
  let base: URL;
  let target: URL;
  try {
    base = new URL(from);
    target = new URL(location, base);
  } catch {
    throw new CaptureError('redirect', l10n.t('{0} redirected to {1}, which is not a valid address', from, JSON.stringify(location)));
  }
  if (target.username !== '' || target.password !== '') {
    throw new CaptureError('redirect', l10n.t('{0} redirected to an address with a user name or password; heaplens does not follow it', from));
  }
  if (target.protocol !== base.protocol || target.hostname !== base.hostname || target.port !== base.port) {
    throw new CaptureError('redirect', l10n.t('{0} redirected to {1}; heaplens only fetches from the address you gave ({2})', from, target.href, `${base.protocol}//${base.host}`));
  }
  return target.href;
}

/** refusedError is the message for ECONNREFUSED: nothing listens at that address. */
export function refusedError(url: string): CaptureError {
  return new CaptureError('refused', l10n.t('Connection refused at {0} — is the service running with net/http/pprof?', url));
}

/** timeoutError says the service did not answer in time, and which setting raises the limit. */
export function timeoutError(url: string, seconds: number, setting: string): CaptureError {
  return new CaptureError('timeout', l10n.t('Timed out after {0}s waiting for {1} (raise {2} for slow services)', seconds, url, setting));
}

/** networkError maps a socket error code to one line naming the URL. */
export function networkError(url: string, code: string | undefined, message: string): CaptureError {
  if (code === 'ECONNREFUSED') return refusedError(url);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CaptureError('unresolved-host', l10n.t('Cannot resolve the host of {0} ({1})', url, code));
  if (code && /^(ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL)/.test(code)) {
    return new CaptureError('tls', l10n.t('TLS error talking to {0}: {1}', url, message.split('\n')[0]));
  }
  return new CaptureError('network', l10n.t('Could not fetch {0}: {1}', url, `${message.split('\n')[0]}${code && !message.includes(code) ? ` (${code})` : ''}`));
}

/** httpStatusError reports a non-200 answer with its status and the first line of its body. */
export function httpStatusError(url: string, status: number, statusText: string, body: Uint8Array): CaptureError {
  const first = firstLine(body);
  const hint = status === 404 ? l10n.t(' — is net/http/pprof imported, and is this the right path?') : '';
  return new CaptureError('http-status', `${l10n.t('HTTP {0} from {1}', `${status}${statusText ? ` ${statusText}` : ''}`, url)}${first ? l10n.t(': {0}', first) : ''}${hint}`);
}

/** tooLargeError says the response passed the size cap. */
export function tooLargeError(url: string, maxBytes: number, setting: string): CaptureError {
  return new CaptureError('too-large', l10n.t('The response from {0} is larger than {1} MB (raise {2} to allow it)', url, Math.round(maxBytes / 1048576), setting));
}

/** cancelledError is what a cancelled capture rejects with. */
export function cancelledError(url: string): CaptureError {
  return new CaptureError('cancelled', l10n.t('Capture of {0} was cancelled', url));
}

function firstLine(body: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(body.subarray(0, 400));
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  // A body that is not text (or an HTML page) says nothing useful in one line.
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(line)) return '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

/**
 * validateCapture decodes a response body with the engine and checks it is a heap profile, so
 * nothing that is not one (an HTML page, a CPU profile, a truncated body) is ever saved.
 */
export function validateCapture(url: string, body: Uint8Array, decode: (bytes: Uint8Array) => Profile): Profile {
  let profile: Profile;
  try {
    profile = decode(body);
  } catch (e) {
    const why = e instanceof ProfileError ? e.message : e instanceof Error ? e.message : String(e);
    throw new CaptureError('not-a-profile', l10n.t('The response from {0} is not a {1}: {2}', url, acceptedLabels('capture'), why.split('\n')[0]));
  }
  if (!accepts('capture', profile)) {
    const types = profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || l10n.t('none');
    throw new CaptureError('not-a-profile', l10n.t('The response from {0} is a profile but not a {1} (sample types: {2})', url, acceptedLabels('capture'), types));
  }
  return profile;
}

/** captureExtension is the file extension a captured profile is saved with, from what it is. */
export function captureExtension(profile: Profile): '.pb.gz' | '.pb' | '.txt' {
  if (profile.format === 'legacy-heap-text') return '.txt';
  return profile.gzipped ? '.pb.gz' : '.pb';
}

/** captureFileName is `heap-YYYYMMDD-HHMMSS[-N]<ext>` in local time (another kind replaces `heap`); attempt N > 0 avoids an existing file. */
export function captureFileName(when: Date, extension: string, attempt = 0, kind: 'heap' | 'goroutine' | 'memstats' = 'heap'): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${p(when.getFullYear(), 4)}${p(when.getMonth() + 1)}${p(when.getDate())}-${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
  return `${kind}-${stamp}${attempt > 0 ? `-${attempt}` : ''}${extension}`;
}
