// Sets code-server's display language before the first page load, the way VS Code itself decides it
// (read in code-server 4.100.3 = VS Code 1.100, src/vs/server/node/webClientServer.ts and
// remoteLanguagePacks.ts, src/vs/base/node/nls.ts):
//   1. the page's locale is `--locale`, else `locale` in <user-data>/User/argv.json (what *Configure
//      Display Language* writes), else the vscode.nls.locale cookie, else Accept-Language;
//   2. a non-English locale only takes effect when <user-data>/languagepacks.json lists a language
//      pack for it whose `translations.vscode` file exists. Without one, VS Code falls back to English
//      and `vscode.env.language` stays 'en' whatever --locale says;
//   3. then the page loads the pack's messages (`_VSCODE_NLS_LANGUAGE = 'zh-cn'`), the workbench's
//      language becomes zh-cn, the extension host starts with it (vscode.env.language), and extension
//      manifests are read with package.nls.zh-cn.json, bundles with bundle.l10n.zh-cn.json.
// languagepacks.json is written by VS Code's language pack service when a language pack *extension*
// is installed into a running server; `code-server --install-extension` does not run that service
// (the CLI registers it lazily and never asks for it), hence the observation that no
// languagepacks.json appeared. We cannot download Microsoft's pack offline, so this writes the same
// entry the service would write for test/e2e/zh-cn-langpack, a pack with no workbench translations:
// the workbench stays English (its messages fall back to the defaults) while the display language is
// zh-cn, so only heaplens speaks Chinese — which is what the tests look at.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'zh-cn-langpack');

/** useDisplayLanguage makes the next page load of code-server on `userData` use `language` (zh-cn). */
export function useDisplayLanguage(userData, language = 'zh-cn') {
  if (!userData) throw new Error('E2E_USER_DATA is not set (run through scripts/e2e/run.sh)');
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK, 'package.json'), 'utf8'));
  const loc = manifest.contributes.localizations.find((l) => l.languageId === language);
  if (!loc) throw new Error(`the test language pack has no ${language}`);
  const id = `${manifest.publisher}.${manifest.name}`;
  // NativeLanguagePackService's hash: md5 over each contributing extension's id (no gallery uuid
  // here) and version; it names the cache folder (<user-data>/clp/<hash>.<language>).
  const hash = crypto.createHash('md5').update(id).update(manifest.version).digest('hex');
  const packs = {
    [language]: {
      hash,
      label: loc.localizedLanguageName,
      extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: Object.fromEntries(loc.translations.map((t) => [t.id, path.join(PACK, t.path)])),
    },
  };
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify(packs));
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'argv.json'), JSON.stringify({ locale: language }));
}
