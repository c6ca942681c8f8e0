// Reading Graphviz's layout (the `json` output format, i.e. xdot drawing operations) into plain
// geometry the panel draws itself: node boxes, their label lines, edge splines, arrowheads and
// labels. The panel builds its SVG from these numbers with textContent for every string, so a
// function name is never parsed as markup, whatever Graphviz wrote around it.

/** GraphText is one line of text Graphviz placed. */
export interface GraphText {
  x: number;
  y: number;
  text: string;
  size: number;
  anchor: 'start' | 'middle' | 'end';
}

/** GraphNodeBox is a laid-out node: its index in the CallGraph and its box (top-left origin). */
export interface GraphNodeBox {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  texts: GraphText[];
}

/** GraphEdgePath is a laid-out edge from node index src to dst: an SVG path, its arrowhead and label. */
export interface GraphEdgePath {
  src: number;
  dst: number;
  path: string;
  arrow: Array<[number, number]>;
  texts: GraphText[];
}

/** GraphGeometry is a whole laid-out graph, y pointing down like SVG. */
export interface GraphGeometry {
  width: number;
  height: number;
  nodes: GraphNodeBox[];
  edges: GraphEdgePath[];
}

interface XdotOp {
  op: string;
  points?: Array<[number, number]>;
  pt?: [number, number];
  align?: string;
  text?: string;
  size?: number;
}

interface GraphvizObject {
  _gvid?: number;
  name?: string;
  pos?: string;
  width?: string;
  height?: string;
  _ldraw_?: XdotOp[];
}

interface GraphvizEdge {
  tail?: number;
  head?: number;
  _draw_?: XdotOp[];
  _hdraw_?: XdotOp[];
  _ldraw_?: XdotOp[];
}

/** GraphvizJson is the part of Graphviz's json output we read. */
export interface GraphvizJson {
  bb?: string;
  objects?: GraphvizObject[];
  edges?: GraphvizEdge[];
}

const POINTS_PER_INCH = 72;

/**
 * graphGeometry converts Graphviz json for a graph written by callGraphDot (nodes named N1…Nk for
 * CallGraph.nodes[0…k-1]) into geometry with y flipped (Graphviz's origin is bottom-left).
 */
export function graphGeometry(json: GraphvizJson): GraphGeometry {
  const bb = (json.bb ?? '0,0,0,0').split(',').map(Number);
  const height = bb[3] ?? 0;
  const flip = (y: number) => height - y;
  const nodes: GraphNodeBox[] = [];
  const indexOfGvid = new Map<number, number>();
  for (const o of json.objects ?? []) {
    const m = /^N(\d+)$/.exec(o.name ?? '');
    if (!m) continue;
    if (o._gvid !== undefined) indexOfGvid.set(o._gvid, Number(m[1]) - 1);
    if (!o.pos) continue;
    const [cx, cy] = o.pos.split(',').map(Number);
    const w = Number(o.width) * POINTS_PER_INCH;
    const h = Number(o.height) * POINTS_PER_INCH;
    nodes.push({ index: Number(m[1]) - 1, x: cx - w / 2, y: flip(cy) - h / 2, width: w, height: h, texts: texts(o._ldraw_, flip) });
  }
  const edges = (json.edges ?? []).map((e): GraphEdgePath => {
    const bezier = e._draw_?.find((op) => op.op === 'b' || op.op === 'B');
    const head = e._hdraw_?.find((op) => op.op === 'P' || op.op === 'p');
    return {
      src: indexOfGvid.get(e.tail ?? -1) ?? -1,
      dst: indexOfGvid.get(e.head ?? -1) ?? -1,
      path: bezier?.points ? splinePath(bezier.points.map(([x, y]) => [x, flip(y)])) : '',
      arrow: (head?.points ?? []).map(([x, y]): [number, number] => [x, flip(y)]),
      texts: texts(e._ldraw_, flip),
    };
  });
  return { width: bb[2] ?? 0, height, nodes, edges };
}

/** splinePath turns Graphviz's B-spline control points (1 + 3k points) into an SVG cubic path. */
export function splinePath(points: Array<[number, number]>): string {
  if (points.length === 0) return '';
  const f = (n: number) => String(Math.round(n * 100) / 100);
  let d = `M${f(points[0][0])},${f(points[0][1])}`;
  for (let i = 1; i + 2 < points.length; i += 3) {
    d += `C${f(points[i][0])},${f(points[i][1])} ${f(points[i + 1][0])},${f(points[i + 1][1])} ${f(points[i + 2][0])},${f(points[i + 2][1])}`;
  }
  return d;
}

function texts(ops: XdotOp[] | undefined, flip: (y: number) => number): GraphText[] {
  const out: GraphText[] = [];
  let size = 14;
  for (const op of ops ?? []) {
    if (op.op === 'F' && typeof op.size === 'number') size = op.size;
    if (op.op !== 'T' || !op.pt || typeof op.text !== 'string') continue;
    out.push({
      x: op.pt[0],
      y: flip(op.pt[1]),
      // Graphviz's json escapes backslashes in text once more than the label had them.
      text: op.text.replace(/\\\\/g, '\\'),
      size,
      anchor: op.align === 'l' ? 'start' : op.align === 'r' ? 'end' : 'middle',
    });
  }
  return out;
}
