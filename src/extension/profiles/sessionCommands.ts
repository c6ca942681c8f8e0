import * as vscode from 'vscode';
import { isolateName } from '../../core/text/nameDisplay';
import { formatSigned, formatValue } from '../../core/format';
import { type NodeFilterAction, nodeFilterPattern, withNodeFilter } from '../../core/nodeFilter';
import { GRANULARITIES, type Granularity } from '../../core/nodes';
import { granularityArg, sampleTypeArg } from './commandArgs';
import { orderSampleTypes, sampleTypeDescription } from './sampleTypes';
import type { ProfileSession, SessionRegistry } from './session';

// Commands that change the active session's view: base/new order, sample type, granularity, filters,
// closing it. Every surface follows through session.onDidChange.

/** granularityWords says what each granularity aggregates by, in the display language. */
function granularityWords(g: Granularity): string {
  switch (g) {
    case 'functions': return vscode.l10n.t('one row per function (pprof\'s default)');
    case 'filefunctions': return vscode.l10n.t('per function and source file');
    case 'files': return vscode.l10n.t('per source file');
    case 'lines': return vscode.l10n.t('per source line');
    case 'addresses': return vscode.l10n.t('per instruction address');
  }
}

/** registerSessionCommands registers swap, sample type, granularity, filter and close commands. */
export function registerSessionCommands(sessions: SessionRegistry): vscode.Disposable {
  const withSession = (run: (s: ProfileSession, arg: unknown) => unknown) => (arg: unknown) => {
    const s = sessions.active;
    if (!s) {
      void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: no profile is open. Right-click two profiles in the Explorer → Compare Profiles.'));
      return undefined;
    }
    return run(s, arg);
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('heaplens.swap', withSession((s) => {
      if (s.isComparison) s.swap();
      else void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: Swap needs a comparison of two profiles.'));
    })),
    vscode.commands.registerCommand('heaplens.chooseSampleType', withSession(chooseSampleType)),
    vscode.commands.registerCommand('heaplens.chooseGranularity', withSession(chooseGranularity)),
    vscode.commands.registerCommand('heaplens.closeComparison', withSession((s) => sessions.close(s))),
    vscode.commands.registerCommand('heaplens.focusNode', withSession((s, arg) => addFilter(s, arg, 'focus'))),
    vscode.commands.registerCommand('heaplens.ignoreNode', withSession((s, arg) => addFilter(s, arg, 'ignore'))),
    vscode.commands.registerCommand('heaplens.hideNode', withSession((s, arg) => addFilter(s, arg, 'hide'))),
    vscode.commands.registerCommand('heaplens.clearFilters', withSession((s) => s.setFilters({}))),
  );
}

/** chooseSampleType sets the sample type given as argument (keybindings, tests), else shows the session's types with what each means and its totals. */
async function chooseSampleType(s: ProfileSession, arg?: unknown): Promise<void> {
  const given = sampleTypeArg(arg, s.sampleTypes);
  if (given.kind === 'value') { s.setSampleType(given.value); return; }
  if (given.kind === 'invalid') { void vscode.window.showErrorMessage(given.message); return; }
  const items = orderSampleTypes(s.sampleTypes).map((type) => ({
    label: isolateName(type),
    description: `${type === s.sampleType ? '$(check) ' : ''}${sampleTypeDescription(type)}`,
    detail: totalsText(s, type),
    type,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('heaplens: sample type for {0}', isolateName(s.title)), placeHolder: vscode.l10n.t('What to measure'), matchOnDescription: true });
  if (picked) s.setSampleType(picked.type);
}

/** totalsText is a sample type's totals from the profiles' headers (pprof's totals, kept from loading). */
function totalsText(s: ProfileSession, type: string): string {
  const row = s.summary().totals.find((t) => t.type === type);
  const unit = row?.unit ?? '';
  const target = row?.newTotal ?? 0;
  if (!s.base) return vscode.l10n.t('total {0}', formatValue(target, unit));
  const base = row?.baseTotal ?? 0;
  return `${formatValue(base, unit)} → ${formatValue(target, unit)} (${formatSigned(target - base, unit)})`;
}

/** chooseGranularity sets the granularity given as argument, else asks. */
async function chooseGranularity(s: ProfileSession, arg?: unknown): Promise<void> {
  const given = granularityArg(arg);
  if (given.kind === 'value') { s.setGranularity(given.value); return; }
  if (given.kind === 'invalid') { void vscode.window.showErrorMessage(given.message); return; }
  const items = GRANULARITIES.map((g) => ({ label: g, description: `${g === s.granularity ? '$(check) ' : ''}${granularityWords(g)}`, g }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('heaplens: granularity of the comparison tables'), placeHolder: vscode.l10n.t('Aggregate by') });
  if (picked) s.setGranularity(picked.g);
}

/** addFilter adds a tree row's function, as an exact escaped pattern, to the session's focus, ignore or hide filter. */
function addFilter(s: ProfileSession, arg: unknown, action: NodeFilterAction): void {
  const name = functionNameOf(arg);
  if (name) s.setFilters(withNodeFilter(s.filters, action, nodeFilterPattern({ name, file: '' })));
}

/** functionNameOf reads the function from a hotspot tree node (row or finding), or a plain {name}/{function} argument. */
function functionNameOf(arg: unknown): string | undefined {
  const a = arg as { row?: { name?: string }; finding?: { target: { function: string } }; name?: unknown; function?: unknown } | undefined;
  const name = a?.row?.name ?? a?.finding?.target.function
    ?? (typeof a?.function === 'string' ? a.function : typeof a?.name === 'string' ? a.name : undefined);
  return name || undefined;
}
