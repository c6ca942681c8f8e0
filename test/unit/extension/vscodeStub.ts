import Module from 'node:module';

// The few parts of the 'vscode' module that session code touches, for unit tests that run outside
// VS Code: importing this file first makes `import * as vscode from 'vscode'` resolve to them.

/** EventEmitter is vscode.EventEmitter: listeners called in order, disposable. */
export class EventEmitter<T> {
  private listeners: Array<(e: T) => void> = [];

  readonly event = (listener: (e: T) => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners = [];
  }
}

/** CancellationError is vscode.CancellationError. */
export class CancellationError extends Error {}

/** workspace is vscode.workspace, empty: a test sets the parts it needs (`fs`). */
export const workspace: Record<string, unknown> = {};

/** window is vscode.window, empty: a test sets the parts it needs (`withProgress`). */
export const window: Record<string, unknown> = {};

/** l10n is vscode.l10n in English: `{n}` placeholders filled in. */
export const l10n = { t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) };

/** StubUri is the part of vscode.Uri that page code builds resource paths with. */
class StubUri {
  constructor(readonly scheme: string, readonly path: string) {}

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** Uri is vscode.Uri's file() and joinPath(). */
export const Uri = {
  file: (path: string): StubUri => new StubUri('file', path),
  joinPath: (base: StubUri, ...parts: string[]): StubUri => new StubUri(base.scheme, [base.path, ...parts].join('/')),
};

/** env is vscode.env in English. */
export const env = { language: 'en' };

const stub = { EventEmitter, CancellationError, workspace, window, l10n, Uri, env };
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const original = loader._load;
loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? stub : original.call(this, request, parent, isMain);
};
