// 秘匿処理: the 公表用 variant of a two-way count table (spec euc.md §5). Counts below k are shown
// as 'X' (primary suppression) and further cells are hidden (secondary suppression) until no hidden
// value can be recomputed from what is published: the shown cells, the row / column totals and the
// grand total.
//
// Rules (each a decision; the reasons are the point):
// - Primary: every published count v with 0 < v < k (k = 3 unless told) is hidden. That includes
//   the totals: a row total is the one-way table of the row item, which would itself show X for a
//   small count, so publishing it as a margin would leak exactly what the one-way table hides
//   (`smallTotals: 'show'` limits primary suppression to the inner cells).
// - Zeros are always shown and never chosen for secondary suppression. A 0 says that nobody has the
//   combination, which is about no person. A shown 0 still matters as a known term of the sums: in
//   a row [0, 2, 0] with total 2 the 2 is exactly the total; the check below treats shown zeros as
//   known values, so such a cell is caught. Hiding a 0 instead would give little cover: a hidden
//   cell sitting at its lower bound 0 lets the other cells of its cycle move one way only, which
//   bounds them. With every hidden value ≥ 1 the guarantee below holds. What zeros (and a table
//   threshold generally) cannot stop is group attribute disclosure: a row whose only non-zero
//   cell is ≥ k shows that everybody in the row has that column's attribute.
// - Totals stay shown. A total is hidden only when no protection exists without it (its row or
//   column has no other non-zero cell to pair with, or it is small itself); the grand total last.
//   The grand-total equations sum(rowTotals) = grandTotal = sum(colTotals) are part of the check.
// - Secondary cells are chosen to lose little: for each hidden value that is still derivable, the
//   cheapest chain of extra cells that closes a cycle through it is hidden, where an already hidden
//   cell costs nothing (so cells in rows / columns that already have a hidden cell are preferred),
//   a cell costs its value (then +1 per cell, fewer cells on ties) and a total costs more than any
//   chain of cells. Afterwards every secondary choice is undone again, largest loss first, when the
//   table stays protected without it.
//
// The published figures are the linear system: for each row, sum of its cells = row total; each
// column alike; sum of row totals = grand total = sum of column totals. Restricted to the hidden
// values as unknowns, a hidden value is derivable iff its unit vector lies in the row space of that
// system. This is checked exactly (BigInt Gaussian elimination) before a result is returned. The
// system is the incidence matrix of a graph (nodes: each row, each column, "row totals", "column
// totals"; edges: cells, row totals, column totals, the grand total), so the same condition reads
// "the hidden value lies on a cycle of hidden values" (no bridge), which drives the search quickly.
// Consequence: every node touched by a hidden value touches at least two (the classic rule: a row
// or column with one X has a second X, a hidden total counting as one), and because every hidden
// value is ≥ 1, moving ±1 around such a cycle gives other non-negative integer tables with the same
// published figures: each X could be at least v − 1, v or v + 1.
import type { CellValue } from '../export/types.ts';

/** A two-way count table with its totals (`cells[i][j]` is row i, column j). */
export interface CountTable {
  rowLabels: string[];
  colLabels: string[];
  cells: number[][];
  rowTotals: number[];
  colTotals: number[];
  grandTotal: number;
  /** Set by toCountTable: the row item names (none: one row labelled `value`). */
  rowItems?: string[];
  /** Set by toCountTable: each row's labels, one per row item. */
  rowKeys?: string[][];
  /** Set by toCountTable: the column item (absent: one column labelled `value`). */
  colItem?: string;
  /** Set by toCountTable: the name of the count column. */
  value?: string;
}

/** A published figure: the count, or 'X' when it is suppressed. */
export type Shown = number | 'X';

export interface SuppressOptions {
  /** Counts 0 < v < k are primary-suppressed (default 3; 1 = none). */
  k?: number;
  /** 'hide' (default): totals below k are primary-suppressed too; 'show': only inner cells are. */
  smallTotals?: 'hide' | 'show';
}

export interface Suppressed {
  cells: Shown[][];
  rowTotals: Shown[];
  colTotals: Shown[];
  grandTotal: Shown;
  /** Figures hidden because they are below k (cells and totals). */
  primary: number;
  /** Figures hidden only to protect the primary ones (cells and totals). */
  secondary: number;
}

export const DEFAULT_K = 3;
/** Labels that mark a totals row in long-format results (the wizard's CUBE rows are '合計'). */
export const TOTAL_LABELS: readonly string[] = ['合計', '計', '小計', '総数', '総計'];
const TOTAL = '合計';

/**
 * The 公表用 variant of a count table: primary suppression below `k`, secondary suppression until
 * no hidden figure can be derived from the published ones (see the module header for the rules).
 * Throws when the table is not consistent (cells must be non-negative integers summing to the totals).
 *
 * @example
 * const t = { rowLabels: ['A', 'B', 'C'], colLabels: ['男', '女', '不詳'],
 *   cells: [[1, 5, 6], [7, 8, 9], [10, 11, 12]], rowTotals: [12, 24, 33], colTotals: [18, 24, 27], grandTotal: 69 };
 * suppress(t).cells
 * // [['X', 'X', 6], ['X', 'X', 9], [10, 11, 12]]  — the 1 and a rectangle around it; totals shown
 */
export function suppress(t: CountTable, opts: SuppressOptions = {}): Suppressed {
  const k = opts.k ?? DEFAULT_K;
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`秘匿の閾値 k は 1 以上の整数です（${k}）`);
  validate(t);
  const g = buildGraph(t);
  const hidden = new Uint8Array(g.edges);
  const primary = new Uint8Array(g.edges);
  for (let e = 0; e < g.edges; e++) {
    const v = g.value[e]!;
    if (v > 0 && v < k && (g.kind[e] === CELL || opts.smallTotals !== 'show')) hidden[e] = primary[e] = 1;
  }
  for (;;) {
    protectAll(g, hidden);
    prune(g, hidden, primary);
    const left = derivable(g, hidden);
    if (left.length === 0) break;
    // unreachable: no bridge ⇔ nothing derivable (the system is a graph's incidence matrix)
    if (protect(g, hidden, left) === 0) throw new Error(`秘匿処理の内部エラー: 導出可能な秘匿値 ${left.length} 件を保護できません`);
  }
  const shown = (e: number): Shown => (hidden[e] ? 'X' : g.value[e]!);
  let p = 0, s = 0;
  for (let e = 0; e < g.edges; e++) if (hidden[e]) primary[e] ? p++ : s++;
  const { R, C } = g;
  return {
    cells: t.cells.map((_, i) => Array.from({ length: C }, (_, j) => shown(i * C + j))),
    rowTotals: Array.from({ length: R }, (_, i) => shown(R * C + i)),
    colTotals: Array.from({ length: C }, (_, j) => shown(R * C + R + j)),
    grandTotal: shown(g.edges - 1),
    primary: p,
    secondary: s,
  };
}

/**
 * The hidden figures of a (partly) suppressed table that the published ones determine, by exact
 * linear algebra: [] for a result of `suppress`. Each entry names a cell (`row`, `col`), a row total
 * (`row`), a column total (`col`) or the grand total ({}). For checking tables edited by hand.
 *
 * @example
 * derivableFigures(t, { ...suppress(t), cells: [['X', 5, 6], [7, 8, 9], [10, 11, 12]] })
 * // [{ row: 0, col: 0 }]  — the row total minus 5 and 6
 */
export function derivableFigures(t: CountTable, s: Pick<Suppressed, 'cells' | 'rowTotals' | 'colTotals' | 'grandTotal'>): { row?: number; col?: number }[] {
  validate(t);
  const g = buildGraph(t);
  const { R, C } = g;
  const hidden = new Uint8Array(g.edges);
  s.cells.forEach((r, i) => r.forEach((v, j) => (hidden[i * C + j] = v === 'X' ? 1 : 0)));
  s.rowTotals.forEach((v, i) => (hidden[R * C + i] = v === 'X' ? 1 : 0));
  s.colTotals.forEach((v, j) => (hidden[R * C + R + j] = v === 'X' ? 1 : 0));
  hidden[g.edges - 1] = s.grandTotal === 'X' ? 1 : 0;
  return derivable(g, hidden).map((e) =>
    e < R * C ? { row: Math.floor(e / C), col: e % C } : e < R * C + R ? { row: e - R * C } : e < g.edges - 1 ? { col: e - R * C - R } : {},
  );
}

// ---- the graph: nodes 0..R-1 rows, R..R+C-1 columns, R+C "row totals", R+C+1 "column totals" ----

const CELL = 0, ROW_TOTAL = 1, COL_TOTAL = 2, GRAND = 3;

interface Graph {
  R: number;
  C: number;
  nodes: number;
  edges: number;
  /** Endpoints of each edge (edge ids: cells row-major, row totals, column totals, grand total). */
  a: Int32Array;
  b: Int32Array;
  kind: Uint8Array;
  value: Float64Array;
  /** Cost of hiding the edge (Infinity: a zero, never hidden). */
  cost: Float64Array;
  adj: number[][];
}

function buildGraph(t: CountTable): Graph {
  const R = t.rowLabels.length, C = t.colLabels.length;
  const nodes = R + C + 2, edges = R * C + R + C + 1;
  const a = new Int32Array(edges), b = new Int32Array(edges), kind = new Uint8Array(edges);
  const value = new Float64Array(edges), cost = new Float64Array(edges);
  const RT = R + C, CT = R + C + 1;
  const set = (e: number, x: number, y: number, kd: number, v: number) => ((a[e] = x), (b[e] = y), (kind[e] = kd), (value[e] = v));
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) set(i * C + j, i, R + j, CELL, t.cells[i]![j]!);
  for (let i = 0; i < R; i++) set(R * C + i, RT, i, ROW_TOTAL, t.rowTotals[i]!);
  for (let j = 0; j < C; j++) set(R * C + R + j, R + j, CT, COL_TOTAL, t.colTotals[j]!);
  set(edges - 1, CT, RT, GRAND, t.grandTotal);
  // lexicographic costs in one exact number: any chain of cells < one total < a chain of totals < the grand total
  const unit = edges + 1;
  const totalBase = (t.grandTotal + 1) * unit;
  const grandBase = totalBase * 16; // a simple path holds at most 4 totals (it passes each totals node once)
  for (let e = 0; e < edges; e++) {
    const v = value[e]!;
    cost[e] = v === 0 ? Infinity : v * unit + 1 + (kind[e] === CELL ? 0 : kind[e] === GRAND ? grandBase : totalBase);
  }
  const adj: number[][] = Array.from({ length: nodes }, () => []);
  for (let e = 0; e < edges; e++) adj[a[e]!]!.push(e), adj[b[e]!]!.push(e);
  return { R, C, nodes, edges, a, b, kind, value, cost, adj };
}

function validate(t: CountTable): void {
  const R = t.rowLabels.length, C = t.colLabels.length;
  const bad = (what: string) => new RangeError(`集計表が不正です: ${what}`);
  const count = (v: unknown, where: string) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${where} が 0 以上の整数ではありません（${String(v)}）`);
    return v;
  };
  if (t.cells.length !== R || t.rowTotals.length !== R || t.colTotals.length !== C) throw bad('行・列の数が合いません');
  const colSums = new Array<number>(C).fill(0);
  let grand = 0;
  t.cells.forEach((row, i) => {
    if (row.length !== C) throw bad(`${i + 1} 行目の列数が合いません`);
    let sum = 0;
    row.forEach((v, j) => {
      count(v, `${t.rowLabels[i]} × ${t.colLabels[j]}`);
      sum += v;
      colSums[j]! += v;
    });
    if (count(t.rowTotals[i], `${t.rowLabels[i]} の合計`) !== sum) throw bad(`${t.rowLabels[i]} の合計 ${t.rowTotals[i]} が行の和 ${sum} と違います`);
    grand += sum;
  });
  colSums.forEach((sum, j) => {
    if (count(t.colTotals[j], `${t.colLabels[j]} の合計`) !== sum) throw bad(`${t.colLabels[j]} の合計 ${t.colTotals[j]} が列の和 ${sum} と違います`);
  });
  if (count(t.grandTotal, '総合計') !== grand) throw bad(`総合計 ${t.grandTotal} が表の和 ${grand} と違います`);
}

// ---- protection: close a cycle of hidden edges through every bridge ----

/** Bridges of the subgraph of hidden edges (iterative Tarjan). */
function bridges(g: Graph, hidden: Uint8Array): number[] {
  const disc = new Int32Array(g.nodes).fill(-1), low = new Int32Array(g.nodes);
  const out: number[] = [];
  let time = 0;
  const stackNode: number[] = [], stackEdge: number[] = [], stackPos: number[] = [];
  for (let s = 0; s < g.nodes; s++) {
    if (disc[s] !== -1) continue;
    disc[s] = low[s] = time++;
    stackNode.push(s), stackEdge.push(-1), stackPos.push(0);
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const v = stackNode[top]!, list = g.adj[v]!;
      const pos = stackPos[top]!;
      if (pos < list.length) {
        stackPos[top] = pos + 1;
        const e = list[pos]!;
        if (!hidden[e] || e === stackEdge[top]) continue;
        const w = g.a[e] === v ? g.b[e]! : g.a[e]!;
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          stackNode.push(w), stackEdge.push(e), stackPos.push(0);
        } else low[v] = Math.min(low[v]!, disc[w]!);
      } else {
        const e = stackEdge[top]!;
        stackNode.pop(), stackEdge.pop(), stackPos.pop();
        if (e >= 0) {
          const parent = stackNode[stackNode.length - 1]!;
          low[parent] = Math.min(low[parent]!, low[v]!);
          if (low[v]! > disc[parent]!) out.push(e);
        }
      }
    }
  }
  return out.sort((x, y) => x - y);
}

/** Hides the cheapest path between the ends of each edge in `todo` avoiding it; returns how many edges it hid. */
function protect(g: Graph, hidden: Uint8Array, todo: number[]): number {
  let added = 0;
  for (const d of todo) {
    const path = cheapestPath(g, hidden, g.a[d]!, g.b[d]!, d);
    if (!path) throw new Error('秘匿処理の内部エラー: 保護する経路がありません');
    for (const e of path) if (!hidden[e]) (hidden[e] = 1), added++;
  }
  return added;
}

function protectAll(g: Graph, hidden: Uint8Array): void {
  for (let todo = bridges(g, hidden); todo.length > 0; todo = bridges(g, hidden)) protect(g, hidden, todo);
}

/** Undoes secondary choices, the most costly first, while the table stays protected. */
function prune(g: Graph, hidden: Uint8Array, primary: Uint8Array): void {
  const secondary: number[] = [];
  for (let e = 0; e < g.edges; e++) if (hidden[e] && !primary[e]) secondary.push(e);
  secondary.sort((x, y) => g.cost[y]! - g.cost[x]! || y - x);
  for (const e of secondary) {
    hidden[e] = 0;
    if (bridges(g, hidden).length > 0) hidden[e] = 1;
  }
}

/** Dijkstra from `from` to `to` without edge `skip`: hidden edges cost 0, zeros are impassable. */
function cheapestPath(g: Graph, hidden: Uint8Array, from: number, to: number, skip: number): number[] | undefined {
  const dist = new Float64Array(g.nodes).fill(Infinity), via = new Int32Array(g.nodes).fill(-1);
  const done = new Uint8Array(g.nodes);
  const heap = new MinHeap();
  dist[from] = 0;
  heap.push(0, from);
  while (heap.size > 0) {
    const [d, v] = heap.pop();
    if (done[v]) continue;
    done[v] = 1;
    if (v === to) break;
    for (const e of g.adj[v]!) {
      if (e === skip) continue;
      const c = hidden[e] ? 0 : g.cost[e]!;
      if (c === Infinity) continue;
      const w = g.a[e] === v ? g.b[e]! : g.a[e]!;
      if (!done[w] && d + c < dist[w]!) (dist[w] = d + c), (via[w] = e), heap.push(d + c, w);
    }
  }
  if (dist[to] === Infinity) return undefined;
  const path: number[] = [];
  for (let v = to; v !== from; ) {
    const e = via[v]!;
    path.push(e);
    v = g.a[e] === v ? g.b[e]! : g.a[e]!;
  }
  return path;
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, val: number): void {
    const { keys, vals } = this;
    let i = keys.length;
    keys.push(key), vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!, vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = key, vals[i] = val;
  }
  pop(): [number, number] {
    const { keys, vals } = this;
    const top: [number, number] = [keys[0]!, vals[0]!];
    const key = keys.pop()!, val = vals.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1]! < keys[c]!) c++;
        if (keys[c]! >= key) break;
        keys[i] = keys[c]!, vals[i] = vals[c]!;
        i = c;
      }
      keys[i] = key, vals[i] = val;
    }
    return top;
  }
}

// ---- the exact check ----

/**
 * Hidden edges whose value the published figures determine: e_j in the row space of the equations
 * restricted to the hidden unknowns, by fraction-free Gaussian elimination over BigInt. After
 * reduction a pivot column is determined iff its row has no other non-zero entry (no free unknown).
 */
function derivable(g: Graph, hidden: Uint8Array): number[] {
  const cols: number[] = [];
  for (let e = 0; e < g.edges; e++) if (hidden[e]) cols.push(e);
  const n = cols.length;
  const { R, C } = g;
  // equations: row i: Σ_j x_ij − r_i = 0; column j: Σ_i x_ij − c_j = 0; Σ r_i − g = 0; Σ c_j − g = 0
  const rows: bigint[][] = Array.from({ length: g.nodes }, () => new Array<bigint>(n).fill(0n));
  cols.forEach((e, q) => {
    const kd = g.kind[e]!;
    if (kd === CELL) (rows[g.a[e]!]![q] = 1n), (rows[g.b[e]!]![q] = 1n);
    else if (kd === ROW_TOTAL) (rows[g.b[e]!]![q] = -1n), (rows[R + C]![q] = 1n);
    else if (kd === COL_TOTAL) (rows[g.a[e]!]![q] = -1n), (rows[R + C + 1]![q] = 1n);
    else (rows[R + C]![q] = -1n), (rows[R + C + 1]![q] = -1n);
  });
  const pivots: number[] = [];
  for (let c = 0, pr = 0; c < n && pr < rows.length; c++) {
    let r = pr;
    while (r < rows.length && rows[r]![c] === 0n) r++;
    if (r === rows.length) continue;
    [rows[pr], rows[r]] = [rows[r]!, rows[pr]!];
    const P = rows[pr]!;
    if (P[c]! < 0n) for (let q = c; q < n; q++) P[q] = -P[q]!;
    const p = P[c]!;
    const nz: number[] = [];
    for (let q = c; q < n; q++) if (P[q] !== 0n) nz.push(q);
    for (let r2 = 0; r2 < rows.length; r2++) {
      const row = rows[r2]!;
      const f = row[c]!;
      if (r2 === pr || f === 0n) continue;
      if (p !== 1n) for (let q = c; q < n; q++) row[q] = row[q]! * p;
      for (const q of nz) row[q] = row[q]! - P[q]! * f;
      if (p !== 1n) normalise(row, c);
    }
    pivots.push(c);
    pr++;
  }
  const out: number[] = [];
  pivots.forEach((c, r) => {
    const row = rows[r]!;
    if (row.every((v, q) => q === c || v === 0n)) out.push(cols[c]!);
  });
  return out;
}

/** Divides a row by the gcd of its entries (from column `from`; earlier entries are 0). */
function normalise(row: bigint[], from: number): void {
  let d = 0n;
  for (let q = from; q < row.length; q++) {
    let x = row[q]! < 0n ? -row[q]! : row[q]!;
    let y = d;
    while (x !== 0n) [y, x] = [x, y % x];
    d = y;
  }
  if (d > 1n) for (let q = from; q < row.length; q++) row[q] = row[q]! / d;
}

// ---- long format in and out ----

export interface CountTableOptions {
  /** Columns whose labels form the rows, outermost first (none: a single row labelled `value`). */
  rowItems: string[];
  /** The column whose labels form the columns (omitted: a single column labelled `value`). */
  colItem?: string;
  /** The count column. */
  value: string;
  /** Rows with any of these labels in an item column are totals: skipped, the totals are recomputed. */
  totalLabels?: readonly string[];
}

/**
 * A CountTable from a long-format count result (`rows[r][i]` is `columns[i]`), such as a wizard
 * count: rows and columns in order of first appearance, missing combinations 0, repeated keys
 * summed, NULL labels ''. Totals rows (any item labelled 合計 / 計 / 小計 / 総数 / 総計) are skipped and
 * all totals recomputed from the cells, so sub-totals of a single row item (the CUBE rows of a
 * three-item count) are not part of the table and are not published by suppressedRows.
 * Throws when a named column is missing or a count is not a non-negative integer.
 *
 * @example
 * toCountTable(['地区', '性別', '人数'], [['北', '男', 5n], ['北', '女', 1n], ['北', '合計', 6n], ['南', '男', 7n]],
 *   { rowItems: ['地区'], colItem: '性別', value: '人数' })
 * // { rowLabels: ['北', '南'], colLabels: ['男', '女'], cells: [[5, 1], [7, 0]], rowTotals: [6, 7],
 * //   colTotals: [12, 1], grandTotal: 13, rowItems: ['地区'], rowKeys: [['北'], ['南']], colItem: '性別', value: '人数' }
 */
export function toCountTable(columns: string[], rows: CellValue[][], opts: CountTableOptions): CountTable {
  const index = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`集計表: 列「${name}」が結果にありません（列: ${columns.join(', ') || 'なし'}）`);
    return i;
  };
  const rowIdx = opts.rowItems.map(index);
  const colIdx = opts.colItem === undefined ? undefined : index(opts.colItem);
  const valIdx = index(opts.value);
  const totals = new Set(opts.totalLabels ?? TOTAL_LABELS);
  const label = (v: CellValue | undefined) => (v === null || v === undefined ? '' : String(v));
  const rowOf = new Map<string, number>(), colOf = new Map<string, number>();
  const rowKeys: string[][] = [], colLabels: string[] = [];
  const cellMap = new Map<number, Map<number, number>>();
  if (rowIdx.length === 0) rowOf.set('[]', 0), rowKeys.push([]);
  if (colIdx === undefined) colOf.set('', 0), colLabels.push(opts.value);
  rows.forEach((row, n) => {
    const key = rowIdx.map((i) => label(row[i]));
    const col = colIdx === undefined ? '' : label(row[colIdx]);
    if (key.some((k) => totals.has(k)) || (colIdx !== undefined && totals.has(col))) return;
    const raw = row[valIdx];
    const v = typeof raw === 'bigint' ? Number(raw) : raw === null || raw === undefined || raw === '' ? 0 : Number(raw);
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`集計表: ${n + 1} 行目の「${opts.value}」が 0 以上の整数ではありません（${String(raw)}）`);
    const rk = JSON.stringify(key);
    let i = rowOf.get(rk);
    if (i === undefined) rowOf.set(rk, (i = rowKeys.length)), rowKeys.push(key);
    let j = colOf.get(col);
    if (j === undefined) colOf.set(col, (j = colLabels.length)), colLabels.push(col);
    let m = cellMap.get(i);
    if (!m) cellMap.set(i, (m = new Map()));
    m.set(j, (m.get(j) ?? 0) + v);
  });
  const cells = rowKeys.map((_, i) => colLabels.map((_, j) => cellMap.get(i)?.get(j) ?? 0));
  const rowTotals = cells.map((r) => r.reduce((s, v) => s + v, 0));
  const colTotals = colLabels.map((_, j) => cells.reduce((s, r) => s + r[j]!, 0));
  const t: CountTable = {
    rowLabels: rowKeys.map((k) => (k.length === 0 ? opts.value : k.join(' '))),
    colLabels,
    cells,
    rowTotals,
    colTotals,
    grandTotal: rowTotals.reduce((s, v) => s + v, 0),
    rowItems: [...opts.rowItems],
    rowKeys,
    value: opts.value,
  };
  if (opts.colItem !== undefined) t.colItem = opts.colItem;
  return t;
}

/**
 * A suppressed table as a cross table for the writers: the row item columns, one column per column
 * label and 合計; one line per row and a 合計 line. When the table came from toCountTable without a
 * column item (or without row items) the 合計 column (row) would repeat the single column (row) and
 * is left out; the repeated figures are always suppressed alike, so nothing is lost or leaked.
 * Hidden figures are the string 'X' (write those columns as text, or let the writer pass strings).
 *
 * @example
 * const rows = [['北', '男', 5n], ['北', '女', 1n], ['南', '男', 7n], ['南', '女', 9n], ['東', '男', 8n], ['東', '女', 6n]];
 * const t = toCountTable(['地区', '性別', '人数'], rows, { rowItems: ['地区'], colItem: '性別', value: '人数' });
 * suppressedRows(t, suppress(t))
 * // { header: ['地区', '男', '女', '合計'],
 * //   rows: [['北', 'X', 'X', 6], ['南', 7, 9, 16], ['東', 'X', 'X', 14], ['合計', 20, 16, 36]] }
 */
export function suppressedRows(t: CountTable, s: Suppressed): { header: string[]; rows: (string | number)[][] } {
  const items = t.rowItems && t.rowItems.length > 0 ? t.rowItems : [''];
  const totalCol = !(t.value !== undefined && t.colItem === undefined);
  const totalRow = !(t.rowItems !== undefined && t.rowItems.length === 0);
  const header = [...items, ...t.colLabels, ...(totalCol ? [TOTAL] : [])];
  const rows: (string | number)[][] = t.rowLabels.map((lab, i) => {
    const key = t.rowKeys?.[i];
    const labels = key && key.length > 0 ? key : [lab, ...new Array<string>(items.length - 1).fill('')];
    return [...labels, ...s.cells[i]!, ...(totalCol ? [s.rowTotals[i]!] : [])];
  });
  if (totalRow) rows.push([TOTAL, ...new Array<string>(items.length - 1).fill(''), ...s.colTotals, ...(totalCol ? [s.grandTotal] : [])]);
  return { header, rows };
}
