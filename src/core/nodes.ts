// Node identity at a granularity, as pprof's graph.NodeInfo after profile.Aggregate: the fields a
// granularity drops are blanked, and nodes with equal remaining fields are one node. Addresses are
// kept only for `addresses`, and mapping ids never take part, so two builds of a program line up.

/** Granularity is pprof's -functions | -filefunctions | -files | -lines | -addresses. */
export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

/** GRANULARITIES lists the granularities in pprof's order. */
export const GRANULARITIES: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** NodeInfo is what identifies (and names) a node once the granularity has blanked some fields. */
export interface NodeInfo {
  name: string;
  file: string;
  line: number;
  address: number;
}

/** LINE_SPAN: lines below it share a numeric key with their function key (exact below 2^53). */
const LINE_SPAN = 4194304;

/** NodeTable interns nodes; one table is shared by the profiles of a comparison so rows align. */
export class NodeTable {
  readonly granularity: Granularity;
  readonly name: string[] = [];
  readonly file: string[] = [];
  readonly line: number[] = [];
  readonly address: number[] = [];
  /** (function key, line[, address]) → node: a number while exact (the common case), else a string. */
  private readonly index = new Map<number | string, number>();
  /**
   * Blanked (name, file) → function key. With one half blank (every key at functions and files
   * granularity) the other half is the key itself: a decoded name keeps its hash once computed,
   * while a joined "name\0file" string is hashed afresh at every lookup (a quarter of the first
   * hotspots query on the 61 MB pair). Keys with both halves use the joined form.
   */
  private readonly keysByName = new Map<string, number>();
  private readonly keysByFile = new Map<string, number>();
  private readonly keysByBoth = new Map<string, number>();
  private readonly keyName: string[] = [];
  private readonly keyFile: string[] = [];

  constructor(granularity: Granularity) {
    this.granularity = granularity;
  }

  /** count is the number of distinct nodes. */
  get count(): number {
    return this.name.length;
  }

  /** intern returns the node for a frame (function name, file, line, address), blanking what the granularity drops. */
  intern(fnName: string, fnFile: string, line: number, address: number): number {
    return this.internAt(this.functionKey(fnName, fnFile), line, address);
  }

  /**
   * functionKey names the (function name, file) half of a node's identity, blanked for the
   * granularity. A caller that interns many lines of one function computes it once: string keys
   * per (function, line) made a lines-granularity expansion of a 50 MB profile cost seconds.
   */
  functionKey(fnName: string, fnFile: string): number {
    const g = this.granularity;
    const name = g === 'files' ? '' : fnName;
    const file = g === 'functions' ? '' : cleanPath(fnFile);
    const keys = file === '' ? this.keysByName : name === '' ? this.keysByFile : this.keysByBoth;
    const key = file === '' ? name : name === '' ? file : `${name}\u0000${file}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = this.keyName.length;
      keys.set(key, k);
      this.keyName.push(name);
      this.keyFile.push(file);
    }
    return k;
  }

  /** internAt returns the node of a function key at a line and address (what the granularity keeps of them). */
  internAt(functionKey: number, line: number, address: number): number {
    const g = this.granularity;
    const ln = g === 'lines' || g === 'addresses' ? line : 0;
    const addr = g === 'addresses' ? address : 0;
    const key = addr === 0 && ln >= 0 && ln < LINE_SPAN && Number.isInteger(ln) ? functionKey * LINE_SPAN + ln : `${functionKey}\u0000${ln}\u0000${addr}`;
    let n = this.index.get(key);
    if (n === undefined) {
      n = this.name.length;
      this.index.set(key, n);
      this.name.push(this.keyName[functionKey]);
      this.file.push(this.keyFile[functionKey]);
      this.line.push(ln);
      this.address.push(addr);
    }
    return n;
  }

  /** unknown returns the node for a frame with no function (pprof keeps only the address, if any). */
  unknown(address: number): number {
    return this.intern('', '', 0, this.granularity === 'addresses' ? address : 0);
  }

  /** info returns a node's fields. */
  info(n: number): NodeInfo {
    return { name: this.name[n], file: this.file[n], line: this.line[n], address: this.address[n] };
  }

  /** printableName renders a node exactly as pprof's NodeInfo.PrintableName does. */
  printableName(n: number): string {
    return printableName(this.info(n));
  }
}

/** printableName renders a node like pprof: [address] [name] [file:line | file | <unknown>]. */
export function printableName(info: NodeInfo): string {
  const parts: string[] = [];
  if (info.address !== 0) parts.push(info.address.toString(16).padStart(16, '0'));
  if (info.name !== '') parts.push(info.name);
  if (info.line !== 0) parts.push(`${info.file}:${info.line}`);
  else if (info.file !== '') parts.push(info.file);
  else if (info.name === '') parts.push('<unknown>');
  return parts.join(' ');
}

/** cleanPath is Go's path.Clean for slash-separated paths (pprof cleans file names before keying nodes). */
export function cleanPath(p: string): string {
  if (p === '') return '';
  if (!p.includes('//') && !p.includes('/.') && !p.endsWith('/')) return p; // fast path: already clean
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
