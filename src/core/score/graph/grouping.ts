/**
 * Groups of related files: connected components of the import graph (imports taken both ways:
 * to analyse either file well you want the other), capped in files and bytes. A component over a
 * cap is cut into connected pieces grown from its most connected files, so each piece keeps
 * neighbours together. Files with no workspace imports either way are grouped by directory.
 *
 * Files are numbered once and the graph is built over integers: this runs on the caller's thread
 * for the whole workspace and must stay in the low milliseconds for tens of thousands of files.
 */

export interface GraphFile { path: string; bytes: number; imports: readonly string[] }

export interface GroupingLimits { maxFiles: number; maxBytes: number }

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

interface Graph {
  /** Unique neighbours of each file, ascending by path rank. */
  neighbours: number[][];
  /** Position of each file in path order: integer comparisons instead of string ones. */
  rank: Int32Array;
  dirId: Int32Array;
  bytes: Float64Array;
}

function buildGraph(files: readonly GraphFile[]): Graph {
  const n = files.length;
  const index = new Map<string, number>();
  files.forEach((f, i) => index.set(f.path, i));
  const order = files.map((_, i) => i).sort((a, b) => (files[a]!.path < files[b]!.path ? -1 : 1));
  const rank = new Int32Array(n);
  order.forEach((file, position) => (rank[file] = position));
  const dirs = new Map<string, number>();
  const dirId = new Int32Array(n);
  const bytes = new Float64Array(n);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const file = files[i]!;
    const dir = dirOf(file.path);
    let id = dirs.get(dir);
    if (id === undefined) dirs.set(dir, (id = dirs.size));
    dirId[i] = id;
    bytes[i] = file.bytes;
    for (const target of file.imports) {
      const j = index.get(target);
      if (j === undefined || j === i) continue;
      neighbours[i]!.push(j);
      neighbours[j]!.push(i);
    }
  }
  for (let i = 0; i < n; i++) {
    const list = neighbours[i]!;
    if (list.length < 2) continue;
    list.sort((a, b) => rank[a]! - rank[b]!);
    neighbours[i] = list.filter((v, k) => k === 0 || v !== list[k - 1]);
  }
  return { neighbours, rank, dirId, bytes };
}

/** All files reachable from `seed`, marking them seen. */
function componentOf(seed: number, graph: Graph, seen: Uint8Array): number[] {
  const members = [seed];
  seen[seed] = 1;
  for (let k = 0; k < members.length; k++) {
    for (const n of graph.neighbours[members[k]!]!) {
      if (seen[n]) continue;
      seen[n] = 1;
      members.push(n);
    }
  }
  return members;
}

function fits(members: number[], graph: Graph, limits: GroupingLimits): boolean {
  if (members.length > limits.maxFiles) return false;
  let size = 0;
  for (const m of members) size += graph.bytes[m]!;
  return size <= limits.maxBytes;
}

/**
 * Splits an oversized component into connected pieces: grow each piece breadth-first from the most
 * connected file not yet placed, preferring neighbours in the seed's own directory, until a cap.
 */
function splitComponent(component: number[], graph: Graph, limits: GroupingLimits, placed: Uint8Array): number[][] {
  const { neighbours, rank, dirId, bytes } = graph;
  const seeds = [...component].sort((a, b) => neighbours[b]!.length - neighbours[a]!.length || rank[a]! - rank[b]!);
  const pieces: number[][] = [];
  for (const seed of seeds) {
    if (placed[seed]) continue;
    const home = dirId[seed]!;
    const piece = [seed];
    let size = bytes[seed]!;
    placed[seed] = 1;
    for (let k = 0; k < piece.length && piece.length < limits.maxFiles; k++) {
      // Neighbours are in path order already; a stable sort moves the seed's directory first.
      const next = neighbours[piece[k]!]!.filter((n) => !placed[n]).sort((a, b) => Number(dirId[b] === home) - Number(dirId[a] === home));
      for (const n of next) {
        if (piece.length >= limits.maxFiles || size + bytes[n]! > limits.maxBytes) continue;
        piece.push(n);
        size += bytes[n]!;
        placed[n] = 1;
      }
    }
    pieces.push(piece);
  }
  return mergeSmallPieces(pieces, graph, limits);
}

/**
 * Growing pieces greedily leaves stragglers: files whose neighbours were all taken. Each piece
 * under half the file cap joins the piece it has the most links to, if the caps allow, so that a
 * file is not analysed apart from the code it talks to; lone files that fit nowhere are grouped
 * with the other such files of their directory.
 */
function mergeSmallPieces(pieces: number[][], graph: Graph, limits: GroupingLimits): number[][] {
  const pieceOf = new Map<number, number>();
  const sizes = pieces.map((piece, p) => {
    let size = 0;
    for (const m of piece) {
      pieceOf.set(m, p);
      size += graph.bytes[m]!;
    }
    return size;
  });
  const order = pieces.map((_, p) => p).sort((a, b) => pieces[a]!.length - pieces[b]!.length);
  const stragglers: number[] = [];
  for (const p of order) {
    const piece = pieces[p]!;
    if (piece.length === 0 || piece.length * 2 > limits.maxFiles) continue;
    const links = new Map<number, number>();
    for (const m of piece) {
      for (const n of graph.neighbours[m]!) {
        const q = pieceOf.get(n)!;
        if (q !== p) links.set(q, (links.get(q) ?? 0) + 1);
      }
    }
    let best = -1;
    for (const [q, count] of links) {
      const fitsIn = pieces[q]!.length + piece.length <= limits.maxFiles && sizes[q]! + sizes[p]! <= limits.maxBytes;
      if (fitsIn && (best < 0 || count > links.get(best)! || (count === links.get(best)! && q < best))) best = q;
    }
    if (best < 0) {
      if (piece.length === 1) stragglers.push(piece[0]!);
      continue;
    }
    for (const m of piece) pieceOf.set(m, best);
    pieces[best]!.push(...piece);
    sizes[best]! += sizes[p]!;
    pieces[p] = [];
  }
  // Lone files whose linked pieces are full: keep them with their directory's other stragglers.
  const lone = new Set(stragglers);
  const byDir = new Map<number, number[]>();
  for (const m of stragglers.sort((a, b) => graph.rank[a]! - graph.rank[b]!)) {
    let list = byDir.get(graph.dirId[m]!);
    if (!list) byDir.set(graph.dirId[m]!, (list = []));
    list.push(m);
  }
  const kept = pieces.filter((piece) => piece.length > 1 || (piece.length === 1 && !lone.has(piece[0]!)));
  for (const list of byDir.values()) kept.push(...chunk(list, graph, limits));
  return kept;
}

/** Cuts files already in path order into consecutive pieces within the limits. */
function chunk(members: number[], graph: Graph, limits: GroupingLimits): number[][] {
  const pieces: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const m of members) {
    const b = graph.bytes[m]!;
    if (current.length > 0 && (current.length >= limits.maxFiles || size + b > limits.maxBytes)) {
      pieces.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += b;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

export interface IndexedGroups {
  /** Each group as indices into the input, in path order; groups ordered by their first path. */
  groups: number[][];
  /** Unique neighbours (either import direction) of each input file. */
  neighbours: number[][];
}

/** The grouping over input indices, with the graph it was built from. Deterministic. */
export function groupIndices(files: readonly GraphFile[], limits: GroupingLimits): IndexedGroups {
  const graph = buildGraph(files);
  const n = files.length;
  const byDegree = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => graph.neighbours[b]!.length - graph.neighbours[a]!.length || graph.rank[a]! - graph.rank[b]!);
  const seen = new Uint8Array(n);
  const placed = new Uint8Array(n);
  const groups: number[][] = [];
  const loners = new Map<number, number[]>();
  for (const seed of byDegree) {
    if (seen[seed]) continue;
    if (graph.neighbours[seed]!.length === 0) {
      seen[seed] = 1;
      let inDir = loners.get(graph.dirId[seed]!);
      if (!inDir) loners.set(graph.dirId[seed]!, (inDir = []));
      inDir.push(seed);
      continue;
    }
    const component = componentOf(seed, graph, seen);
    if (fits(component, graph, limits)) groups.push(component);
    else groups.push(...splitComponent(component, graph, limits, placed));
  }
  for (const members of loners.values()) groups.push(...chunk(members.sort((a, b) => graph.rank[a]! - graph.rank[b]!), graph, limits));
  for (const group of groups) group.sort((a, b) => graph.rank[a]! - graph.rank[b]!);
  groups.sort((a, b) => graph.rank[a[0]!]! - graph.rank[b[0]!]!);
  return { groups, neighbours: graph.neighbours };
}

/** Lists of paths, each a group, each sorted; groups ordered by their first path. */
export function groupFiles(files: readonly GraphFile[], limits: GroupingLimits): string[][] {
  return groupIndices(files, limits).groups.map((group) => group.map((i) => files[i]!.path));
}
