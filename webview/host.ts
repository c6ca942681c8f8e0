import type { FromWebview } from '../src/protocol/messages';

// The webview's side of the VS Code API, typed: messages to the host and the saved state.

/** WebviewHost is what acquireVsCodeApi returns, with our message type. */
export interface WebviewHost {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewHost;

/** connectHost acquires the API (once per page, as VS Code requires). */
export function connectHost(): WebviewHost {
  return acquireVsCodeApi();
}
