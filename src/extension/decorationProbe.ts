import * as vscode from 'vscode';

// A measuring probe for the end-to-end suite, not a feature. With HEAPLENS_STALL_PROBE set (the e2e
// runner sets it for the test run only), every visible editor of a file named PROBE_FILE gets one
// after-text on its first visible line, set the moment VS Code says the editor is visible: what any
// extension's decoration costs after an editor switch in this window — the renderer telling the
// extension host, the host answering, the window painting — with none of heaplens' own work. The
// e2e suite measures a switch to such a file next to the switch to the annotated one.

/** PROBE_FILE is the base name of the files the probe decorates. */
export const PROBE_FILE = 'decoration-probe.go';

/** startDecorationProbe starts the probe when HEAPLENS_STALL_PROBE is set; otherwise does nothing. */
export function startDecorationProbe(): vscode.Disposable {
  if (!process.env.HEAPLENS_STALL_PROBE) return { dispose: () => undefined };
  const type = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2.5em' } });
  const paint = (editor: vscode.TextEditor): void => {
    if (!editor.document.uri.path.endsWith(`/${PROBE_FILE}`)) return;
    const line = editor.visibleRanges[0]?.start.line ?? 0;
    const end = editor.document.lineAt(line).range.end;
    editor.setDecorations(type, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: 'decoration probe' } } }]);
  };
  const listener = vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(paint));
  vscode.window.visibleTextEditors.forEach(paint);
  return { dispose: () => { listener.dispose(); type.dispose(); } };
}
