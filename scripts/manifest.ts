import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPLORER_COMMANDS, editorSelectors, explorerWhen } from '../src/core/profileKinds';

// `npm run manifest` rewrites the parts of package.json that say which files are profiles — the
// Explorer menus' `when` clauses and the custom editor's selectors — from the profile-kinds table in
// src/core/profileKinds.ts. test/unit/core/profileKinds.test.ts fails when they differ.

const path = join(__dirname, '..', 'package.json');
const manifest = JSON.parse(readFileSync(path, 'utf8'));
for (const entry of manifest.contributes.menus['explorer/context'] as Array<{ command: string; when: string }>) {
  const spec = EXPLORER_COMMANDS[entry.command];
  if (spec) entry.when = explorerWhen(spec.action, spec.selection);
}
for (const editor of manifest.contributes.customEditors as Array<{ viewType: string; selector: unknown }>) {
  if (editor.viewType === 'heaplens.profileEditor') editor.selector = editorSelectors();
}
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
console.log('package.json: Explorer menus and custom editor selectors regenerated from src/core/profileKinds.ts');
