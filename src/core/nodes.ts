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

/** NodeTable interns nodes; one table is shared by the profiles of a comparison so rows align. */
export class NodeTable {
  readonly granularity: Granularity;
  readonly name: string[] = [];
  readonly file: string[] = [];
  readonly line: number[] = [];
  readonly address: number[] = [];
  private readonly index = new Map<string, number>();

  constructor(granularity: Granularity) {
    this.granularity = granularity;
  }

  /** count is the number of distinct nodes. */
  get count(): number {
    return this.name.length;
  }

  /** intern returns the node for a frame (function name, file, line, address), blanking what the granularity drops. */
  intern(fnName: string, fnFile: string, line: number, address: number): number {
    const g = this.granularity;
    const name = g === 'files' ? '' : fnName;
    const file = g === 'functions' ? '' : cleanPath(fnFile);
    const ln = g === 'lines' || g === 'addresses' ? line : 0;
    const addr = g === 'addresses' ? address : 0;
    const key = `${name}\u0000${file}\u0000${ln}\u0000${addr}`;
    let n = this.index.get(key);
    if (n === undefined) {
      n = this.name.length;
      this.index.set(key, n);
      this.name.push(name);
      this.file.push(file);
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
