import * as l10n from '@vscode/l10n';
import * as http from 'node:http';
import * as https from 'node:https';
import { DEFAULT_MAX_BYTES, decodeProfile } from '../core/decode';
import { gzipPadding } from '../core/decode/gzip';
import {
  CaptureError, cancelledError, httpStatusError, networkError, redirectTarget, timeoutError, tooLargeError, validateCapture,
} from '../core/capture';
import type { Profile } from '../core/model';
import { nodeGunzip } from './loadProfile';
import { DecodeCancelledError } from './workerDecode';

// Fetching a heap profile from a live service with Node's own http/https (no vscode here, so the
// CLI shares it). One GET to the URL given, same-origin redirects only, one deadline for the whole
// exchange, a byte cap while reading, and the body decoded by the engine before anyone saves it.

/** CaptureLimits bound one capture; the setting names appear in messages so users know what to raise. */
export interface CaptureLimits {
  timeoutMs: number;
  /**
   * When the whole capture must be over (epoch ms): connect, headers, body and redirects of every
   * request made for it. Default: `timeoutMs` from the first request's start.
   */
  deadline?: number;
  /** Abort when the response body passes this many bytes. */
  maxBytes: number;
  /** Cap on the decompressed profile while validating it. */
  maxDecodedBytes?: number;
  signal?: AbortSignal;
  /** How the timeout is configured, e.g. "heaplens.capture.timeoutSeconds" or "--timeout". */
  timeoutSetting?: string;
  /** How the size cap is configured, e.g. "heaplens.capture.maxSizeMB" or "--max-size-mb". */
  sizeSetting?: string;
  /** How response bodies are decoded: in this thread by default (the CLI); the extension passes its decode worker. */
  decode?: CaptureDecoder;
}

/**
 * CaptureDecoder decodes a response body (which it must leave usable: it is saved afterwards) and
 * counts the zero padding after its gzip data; the profile is decoded without that padding.
 */
export type CaptureDecoder = (body: Uint8Array, maxBytes: number, signal?: AbortSignal) => Promise<{ profile: Profile; padding: number }>;

/** decodeHere is the CaptureDecoder of the CLI: both steps in the calling thread. */
export const decodeHere: CaptureDecoder = async (body, maxBytes) => {
  const padding = gzipPadding(body, maxBytes);
  const profile = decodeProfile(padding > 0 ? body.subarray(0, body.length - padding) : body, { maxBytes, gunzip: nodeGunzip });
  return { profile, padding };
};

/**
 * decodeChecked decodes a body with the limits' decoder and lets `validate` judge it (it words a
 * failed decode as a CaptureError naming the URL); a cancelled decode is a cancelled capture.
 */
export async function decodeChecked(
  url: string, body: Uint8Array, limits: CaptureLimits, validate: (url: string, body: Uint8Array, decode: () => Profile) => Profile,
): Promise<{ profile: Profile; padding: number }> {
  let decoded: { profile: Profile; padding: number } | undefined;
  let failure: unknown;
  try {
    decoded = await (limits.decode ?? decodeHere)(body, limits.maxDecodedBytes ?? DEFAULT_MAX_BYTES, limits.signal);
  } catch (e) {
    if (e instanceof DecodeCancelledError) throw cancelledError(url);
    failure = e;
  }
  const profile = validate(url, body, () => {
    if (!decoded) throw failure;
    return decoded.profile;
  });
  return { profile, padding: decoded?.padding ?? 0 };
}

/** CapturedProfile is a validated response: the exact bytes to save and their decoded profile. */
export interface CapturedProfile {
  url: string;
  body: Uint8Array;
  profile: Profile;
  elapsedMs: number;
  /** Zero bytes of padding removed after the gzip data (some proxies pad), so pprof can read the saved file. */
  trimmedPadding: number;
}

const MAX_REDIRECTS = 5;

/** captureProfile fetches `url`, checks the answer is a heap profile, and returns it; failures are CaptureErrors. */
export async function captureProfile(url: string, limits: CaptureLimits): Promise<CapturedProfile> {
  const started = Date.now();
  const received = await fetchBody(url, { ...limits, deadline: limits.deadline ?? started + limits.timeoutMs });
  // Go's gzip reader refuses zeros after the last member (pprof: "gzip: invalid header"), so a
  // padded body would be saved as a file pprof cannot open; the padding carries nothing. Counting it
  // inflates the body, so it happens where the decoding does (the extension's decode worker).
  const { profile, padding: trimmedPadding } = await decodeChecked(url, received, limits, validateCapture);
  const body = trimmedPadding > 0 ? received.subarray(0, received.length - trimmedPadding) : received;
  return { url, body, profile, elapsedMs: Date.now() - started, trimmedPadding };
}

/** fetchBody GETs a URL and returns the 200 response body, following same-origin redirects. */
export async function fetchBody(url: string, limits: CaptureLimits): Promise<Uint8Array> {
  const deadline = limits.deadline ?? Date.now() + limits.timeoutMs;
  let current = url;
  for (let hop = 0; ; hop++) {
    const answer = await getOnce(current, url, deadline, limits);
    if (answer.kind === 'body') return answer.body;
    if (hop >= MAX_REDIRECTS) throw new CaptureError('redirect', l10n.t('{0} redirected more than {1} times', url, MAX_REDIRECTS));
    current = redirectTarget(current, answer.location);
  }
}

type Answer = { kind: 'body'; body: Uint8Array } | { kind: 'redirect'; location: string };

/** getOnce performs one GET; `shownUrl` is the address the user asked for, used in messages. */
function getOnce(url: string, shownUrl: string, deadline: number, limits: CaptureLimits): Promise<Answer> {
  const seconds = Number((limits.timeoutMs / 1000).toFixed(limits.timeoutMs < 10000 ? 1 : 0));
  const timeoutSetting = limits.timeoutSetting ?? l10n.t('the timeout');
  const sizeSetting = limits.sizeSetting ?? l10n.t('the size limit');
  return new Promise<Answer>((resolve, reject) => {
    if (limits.signal?.aborted) { reject(cancelledError(shownUrl)); return; }
    const client = url.startsWith('https:') ? https : http;
    let settled = false;
    const finish = (error: CaptureError | undefined, answer?: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      if (error) { request.destroy(); reject(error); } else resolve(answer!);
    };
    const onAbort = (): void => finish(cancelledError(shownUrl));
    const timer = setTimeout(() => finish(timeoutError(shownUrl, seconds, timeoutSetting)), Math.max(0, deadline - Date.now()));
    limits.signal?.addEventListener('abort', onAbort);
    const request = client.get(url, { headers: { 'Accept-Encoding': 'identity', 'User-Agent': 'heaplens' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        finish(undefined, { kind: 'redirect', location: response.headers.location });
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (status === 200 && declared > limits.maxBytes) { finish(tooLargeError(shownUrl, limits.maxBytes, sizeSetting)); return; }
      // Error bodies are read only far enough to quote their first line.
      const cap = status === 200 ? limits.maxBytes : 4096;
      const chunks: Uint8Array[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        total += chunk.length;
        if (total > cap) {
          if (status === 200) finish(tooLargeError(shownUrl, limits.maxBytes, sizeSetting));
          else finish(httpStatusError(shownUrl, status, response.statusMessage ?? '', concat(chunks, total - chunk.length)));
          return;
        }
        chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      response.on('end', () => {
        const body = concat(chunks, total);
        if (status !== 200) { finish(httpStatusError(shownUrl, status, response.statusMessage ?? '', body)); return; }
        if (!response.complete) { finish(networkError(shownUrl, 'ECONNRESET', l10n.t('the connection closed before the whole profile arrived'))); return; }
        finish(undefined, { kind: 'body', body });
      });
      response.on('error', (e: NodeJS.ErrnoException) => finish(networkError(shownUrl, e.code, e.message)));
    });
    request.on('error', (e: NodeJS.ErrnoException) => finish(networkError(shownUrl, e.code, e.message)));
  });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
