import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  type GoModule, type PathMapping, type Resolution, type SourceContext, type SuffixCandidate,
  baseName, expandMappingTarget, mappingForLocatedFile, parseGoModModulePath, rankBySuffix, resolveSource,
} from '../../core/sourceResolution';
import { GoFilesByName, profilePathsNamedLike } from '../../core/goFilesByName';

// The VS Code side of source resolution: what the workspace holds (go.mod files, files by name),
// the Go installation, the settings, and the mappings remembered by Locate File…. The rules live
// in sourceResolution.ts. Results are cached per profile path until something they depend on changes.

const LOCATED_KEY = 'heaplens.locatedMappings';
const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_INDEXED_FILES = 100_000;

/** GoEnvironment is the local Go installation's GOROOT and GOMODCACHE, when Go is installed. */
interface GoEnvironment {
  goroot?: string;
  gomodcache?: string;
}

/** SourceResolver finds local files for the file names written in profiles. */
export class SourceResolver implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** onDidChange fires when earlier answers may be wrong (settings, workspace files, a located file). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly cache = new Map<string, Promise<Resolution | undefined>>();
  private workspace: Promise<WorkspaceIndex> | undefined;
  private goEnv: Promise<GoEnvironment> | undefined;

  constructor(private readonly state: vscode.Memento) {
    // A new or deleted .go file changes the answers for its base name only (goFilesByName.ts);
    // a go.mod created, deleted or edited may change a module path, and so any answer.
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.go,go.mod}');
    const isGoMod = (uri: vscode.Uri) => uri.path.endsWith('/go.mod');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => { if (isGoMod(uri)) this.reset({ workspace: true }); else this.goFileChanged(uri, true); }),
      watcher.onDidDelete((uri) => { if (isGoMod(uri)) this.reset({ workspace: true }); else this.goFileChanged(uri, false); }),
      watcher.onDidChange((uri) => { if (isGoMod(uri)) this.reset({ workspace: true }); }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset({ workspace: true })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('heaplens.goroot') || e.affectsConfiguration('heaplens.gomodcache')) this.reset({ go: true });
        else if (e.affectsConfiguration('heaplens.pathMappings')) this.reset({});
      }),
    );
  }

  /** resolve returns the local file for a profile path (cached), or undefined when none is found. */
  resolve(profilePath: string): Promise<Resolution | undefined> {
    let answer = this.cache.get(profilePath);
    if (!answer) {
      answer = this.context().then((ctx) => resolveSource(profilePath, ctx)).catch(() => undefined);
      this.cache.set(profilePath, answer);
    }
    return answer;
  }

  /** resolveUri is resolve as a file URI. */
  async resolveUri(profilePath: string): Promise<vscode.Uri | undefined> {
    const r = await this.resolve(profilePath);
    return r ? vscode.Uri.file(r.path) : undefined;
  }

  /** candidates lists workspace files with the same base name, best suffix match first (for Locate File…). */
  async candidates(profilePath: string): Promise<SuffixCandidate[]> {
    const ws = await this.workspaceIndex();
    return rankBySuffix(profilePath, await ws.filesNamed(baseName(profilePath.replace(/\\/g, '/'))));
  }

  /** frameOrigin tells the diagnosis which code is the user's: the workspace's module paths and the Go root. */
  async frameOrigin(): Promise<{ modulePaths: string[]; goroots: string[] }> {
    const [ws, go] = await Promise.all([this.workspaceIndex(), this.goEnvironment()]);
    return { modulePaths: ws.modules.map((m) => m.path), goroots: go.goroot ? [go.goroot] : [] };
  }

  /** remember stores "this profile path is that local file" as a prefix mapping for this workspace. */
  async remember(profilePath: string, localPath: string): Promise<PathMapping> {
    const mapping = mappingForLocatedFile(profilePath, toSlashes(localPath));
    const kept = this.located().filter((m) => m.from !== mapping.from);
    await this.state.update(LOCATED_KEY, [mapping, ...kept]);
    this.reset({});
    return mapping;
  }

  private located(): PathMapping[] {
    return this.state.get<PathMapping[]>(LOCATED_KEY, []);
  }

  /**
   * goFileChanged keeps the index up to date for one created or deleted .go file and forgets the
   * answers for profile paths of its base name; listeners hear of it only when there were some. (Every
   * .go file that came or went — a build, a branch switch, a new file — used to clear all answers and
   * repaint every annotation: on a 12,000-line annotated file ~150 ms on the host, half of it GC.)
   */
  private goFileChanged(uri: vscode.Uri, created: boolean): void {
    const path = toSlashes(uri.fsPath);
    void this.workspace?.then((ws) => { if (created) ws.goFiles.add(path); else ws.goFiles.remove(path); }, () => undefined);
    const stale = profilePathsNamedLike(this.cache.keys(), path);
    for (const p of stale) this.cache.delete(p);
    if (stale.length > 0) this.changed.fire();
  }

  private reset(what: { workspace?: boolean; go?: boolean }): void {
    if (what.workspace) this.workspace = undefined;
    if (what.go) this.goEnv = undefined;
    this.cache.clear();
    this.changed.fire();
  }

  private async context(): Promise<SourceContext> {
    const [ws, go] = await Promise.all([this.workspaceIndex(), this.goEnvironment()]);
    const folders = workspaceFolderPaths();
    const configured = vscode.workspace.getConfiguration('heaplens').get<Record<string, string>>('pathMappings', {});
    const home = homedir();
    const mappings: PathMapping[] = [
      ...this.located(),
      ...Object.entries(configured ?? {}).map(([from, to]) => ({ from, to: expandMappingTarget(String(to), folders, home) })),
    ];
    return {
      workspaceFolders: folders,
      modules: ws.modules,
      goroot: go.goroot,
      gomodcache: go.gomodcache,
      mappings,
      exists: fileExists,
      filesNamed: (name) => ws.filesNamed(name),
    };
  }

  private workspaceIndex(): Promise<WorkspaceIndex> {
    this.workspace ??= WorkspaceIndex.build();
    return this.workspace;
  }

  private goEnvironment(): Promise<GoEnvironment> {
    this.goEnv ??= readGoEnvironment();
    return this.goEnv;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** WorkspaceIndex knows the workspace's go.mod modules and finds files by base name. */
class WorkspaceIndex {
  private readonly extra = new Map<string, Promise<string[]>>();

  private constructor(readonly modules: GoModule[], readonly goFiles: GoFilesByName) {}

  /** build lists every .go file once (profiles of Go programs name mostly .go files) and reads every go.mod. */
  static async build(): Promise<WorkspaceIndex> {
    const [goUris, modUris] = await Promise.all([
      vscode.workspace.findFiles('**/*.go', EXCLUDE, MAX_INDEXED_FILES),
      vscode.workspace.findFiles('**/go.mod', EXCLUDE, 1000),
    ]);
    const goFiles = new GoFilesByName();
    for (const uri of goUris) goFiles.add(toSlashes(uri.fsPath));
    const modules = (await Promise.all(modUris.map(readModule))).filter((m): m is GoModule => m !== undefined);
    return new WorkspaceIndex(modules, goFiles);
  }

  /** filesNamed returns workspace files with this base name (.go from the index, others searched once). */
  filesNamed(name: string): Promise<string[]> {
    if (name.endsWith('.go')) return Promise.resolve(this.goFiles.named(name));
    let found = this.extra.get(name);
    if (!found) {
      const glob = `**/${name.replace(/[{}[\]*?,!]/g, '?')}`;
      found = Promise.resolve(vscode.workspace.findFiles(glob, EXCLUDE, 50))
        .then((uris) => uris.map((u) => toSlashes(u.fsPath)).filter((p) => baseName(p) === name), () => []);
      this.extra.set(name, found);
    }
    return found;
  }
}

async function readModule(uri: vscode.Uri): Promise<GoModule | undefined> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const path = parseGoModModulePath(text);
    const file = toSlashes(uri.fsPath);
    return path ? { path, dir: file.slice(0, file.lastIndexOf('/')) } : undefined;
  } catch {
    return undefined;
  }
}

/** readGoEnvironment takes the settings first, then `go env`, then the default module cache. */
async function readGoEnvironment(): Promise<GoEnvironment> {
  const config = vscode.workspace.getConfiguration('heaplens');
  const folders = workspaceFolderPaths();
  const home = homedir();
  const setting = (key: string): string | undefined => {
    const v = config.get<string>(key, '');
    return v ? expandMappingTarget(v, folders, home) : undefined;
  };
  const fromGo = await goEnv(['GOROOT', 'GOMODCACHE']);
  return {
    goroot: setting('goroot') ?? fromGo.GOROOT,
    gomodcache: setting('gomodcache') ?? fromGo.GOMODCACHE ?? `${toSlashes(home)}/go/pkg/mod`,
  };
}

/** goEnv runs `go env NAME…`; an absent or broken Go installation yields no values, never an error. */
function goEnv(names: string[]): Promise<Record<string, string | undefined>> {
  return new Promise((resolve) => {
    execFile('go', ['env', ...names], { timeout: 10_000, windowsHide: true }, (err, stdout) => {
      if (err) { resolve({}); return; }
      const lines = stdout.split(/\r?\n/);
      resolve(Object.fromEntries(names.map((n, i) => [n, lines[i]?.trim() ? toSlashes(lines[i].trim()) : undefined])));
    });
  });
}

async function fileExists(path: string): Promise<boolean> {
  try {
    const st = await vscode.workspace.fs.stat(vscode.Uri.file(path));
    return (st.type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => toSlashes(f.uri.fsPath));
}

/** toSlashes writes a local path with '/' separators, the form sourceResolution.ts works in. */
export function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}
