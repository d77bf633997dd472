// 秘匿処理 (src/euc/suppress.ts): primary / secondary suppression of count tables, proved safe by an
// independent integer solver written here (it shares no code with the module's rank check): every
// X must take at least two values over the non-negative integer tables that agree with everything
// shown. Also toCountTable (long format in) and suppressedRows (cross table out).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derivableFigures,
  suppress,
  suppressedRows,
  toCountTable,
  type CountTable,
  type Shown,
  type Suppressed,
} from '../../src/euc/suppress.ts';

/** A consistent table from its cells (labels R1…, C1…). */
function table(cells: number[][]): CountTable {
  const C = cells[0]?.length ?? 0;
  const rowTotals = cells.map((r) => r.reduce((s, v) => s + v, 0));
  const colTotals = Array.from({ length: C }, (_, j) => cells.reduce((s, r) => s + r[j]!, 0));
  return {
    rowLabels: cells.map((_, i) => `R${i + 1}`),
    colLabels: Array.from({ length: C }, (_, j) => `C${j + 1}`),
    cells,
    rowTotals,
    colTotals,
    grandTotal: rowTotals.reduce((s, v) => s + v, 0),
  };
}

const xs = (s: Suppressed) => s.cells.map((r) => r.map((v) => (v === 'X' ? 'X' : '.')).join('')).join('/');

// ---- the independent checker: depth-first search over integer fillings of the hidden cells ----

interface Search {
  /** Inclusive range tried for hidden cell (i, j) whose true value is v. */
  range: (i: number, j: number, v: number) => [number, number];
  /** Called with each complete filling (a fresh copy of the table's cells); return true to stop. */
  visit: (x: number[][]) => boolean;
}

/**
 * Fills the hidden cells with non-negative integers so that every shown row total, column total
 * and grand total holds (hidden totals are whatever the filling sums to). Each filling is verified
 * against the shown figures before `visit` sees it. Returns true when `visit` stopped the search.
 */
function search(t: CountTable, s: Suppressed, opt: Search): boolean {
  const R = t.rowLabels.length, C = t.colLabels.length;
  const x = t.cells.map((r, i) => r.map((v, j) => (s.cells[i]![j] === 'X' ? -1 : v)));
  const vars: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (x[i]![j] === -1) vars.push([i, j]);
  const lo = vars.map(([i, j]) => Math.max(0, opt.range(i, j, t.cells[i]![j]!)[0]));
  const hi = vars.map(([i, j]) => opt.range(i, j, t.cells[i]![j]!)[1]);
  // remaining sum still to place (undefined: the total is hidden), unassigned count, their max capacity
  const known = (v: Shown | undefined) => (v === 'X' || v === undefined ? undefined : v);
  const rowRem = s.rowTotals.map((v, i) => (known(v) === undefined ? undefined : (v as number) - x[i]!.reduce((a, c) => a + Math.max(c, 0), 0)));
  const colRem = s.colTotals.map((v, j) => (known(v) === undefined ? undefined : (v as number) - x.reduce((a, r) => a + Math.max(r[j]!, 0), 0)));
  let gRem = known(s.grandTotal) === undefined ? undefined : (s.grandTotal as number) - x.flat().reduce((a, c) => a + Math.max(c, 0), 0);
  const rowLeft = new Array<number>(R).fill(0), colLeft = new Array<number>(C).fill(0);
  const rowCap = new Array<number>(R).fill(0), colCap = new Array<number>(C).fill(0);
  let gCap = 0;
  vars.forEach(([i, j], n) => {
    rowLeft[i]!++, colLeft[j]!++;
    rowCap[i]! += hi[n]!, colCap[j]! += hi[n]!, gCap += hi[n]!;
  });
  let gLeft = vars.length;

  const verify = () => {
    for (let i = 0; i < R; i++) if (s.rowTotals[i] !== 'X') expect(x[i]!.reduce((a, c) => a + c, 0)).toBe(s.rowTotals[i]);
    for (let j = 0; j < C; j++) if (s.colTotals[j] !== 'X') expect(x.reduce((a, r) => a + r[j]!, 0)).toBe(s.colTotals[j]);
    if (s.grandTotal !== 'X') expect(x.flat().reduce((a, c) => a + c, 0)).toBe(s.grandTotal);
    for (const r of x) for (const v of r) expect(v).toBeGreaterThanOrEqual(0);
  };

  const dfs = (n: number): boolean => {
    if (n === vars.length) {
      verify();
      return opt.visit(x.map((r) => [...r]));
    }
    const [i, j] = vars[n]!;
    let a = lo[n]!, b = hi[n]!;
    const rr = rowRem[i], cr = colRem[j];
    for (const rem of [rr, cr, gRem]) if (rem !== undefined) b = Math.min(b, rem);
    // the others must still be able to reach each shown remainder
    if (rr !== undefined) a = Math.max(a, rr - (rowCap[i]! - hi[n]!));
    if (cr !== undefined) a = Math.max(a, cr - (colCap[j]! - hi[n]!));
    if (gRem !== undefined) a = Math.max(a, gRem - (gCap - hi[n]!));
    if (rr !== undefined && rowLeft[i] === 1) (a = Math.max(a, rr)), (b = Math.min(b, rr));
    if (cr !== undefined && colLeft[j] === 1) (a = Math.max(a, cr)), (b = Math.min(b, cr));
    if (gRem !== undefined && gLeft === 1) (a = Math.max(a, gRem)), (b = Math.min(b, gRem));
    rowLeft[i]!--, colLeft[j]!--, gLeft--;
    rowCap[i]! -= hi[n]!, colCap[j]! -= hi[n]!, gCap -= hi[n]!;
    let stop = false;
    for (let v = a; v <= b && !stop; v++) {
      x[i]![j] = v;
      if (rr !== undefined) rowRem[i] = rr - v;
      if (cr !== undefined) colRem[j] = cr - v;
      const g0 = gRem;
      if (g0 !== undefined) gRem = g0 - v;
      stop = dfs(n + 1);
      rowRem[i] = rr, colRem[j] = cr, gRem = g0;
    }
    rowLeft[i]!++, colLeft[j]!++, gLeft++;
    rowCap[i]! += hi[n]!, colCap[j]! += hi[n]!, gCap += hi[n]!;
    x[i]![j] = -1;
    return stop;
  };
  return dfs(0);
}

/** What every published figure must satisfy, whatever the hidden pattern. */
function checkShown(t: CountTable, s: Suppressed, k: number, smallTotals = true): void {
  const figures: [number, Shown][] = [
    ...t.cells.flatMap((r, i) => r.map((v, j): [number, Shown] => [v, s.cells[i]![j]!])),
    ...(smallTotals ? t.rowTotals.map((v, i): [number, Shown] => [v, s.rowTotals[i]!]) : []),
    ...(smallTotals ? t.colTotals.map((v, j): [number, Shown] => [v, s.colTotals[j]!]) : []),
    ...(smallTotals ? [[t.grandTotal, s.grandTotal] as [number, Shown]] : []),
  ];
  let primary = 0;
  for (const [v, shown] of figures) {
    if (v > 0 && v < k) {
      expect(shown).toBe('X');
      primary++;
    } else if (v === 0) expect(shown).toBe(0);
    else if (shown !== 'X') expect(shown).toBe(v);
  }
  expect(s.primary).toBe(primary);
  const hidden = [...s.cells.flat(), ...s.rowTotals, ...s.colTotals, s.grandTotal].filter((v) => v === 'X').length;
  expect(s.primary + s.secondary).toBe(hidden);
}

/** Hidden figures (cells, then totals) with their true value and how to read them off a filling. */
function hiddenFigures(t: CountTable, s: Suppressed): { name: string; value: number; of: (x: number[][]) => number }[] {
  const out: { name: string; value: number; of: (x: number[][]) => number }[] = [];
  s.cells.forEach((r, i) => r.forEach((v, j) => v === 'X' && out.push({ name: `cell ${i},${j}`, value: t.cells[i]![j]!, of: (x) => x[i]![j]! })));
  s.rowTotals.forEach((v, i) => v === 'X' && out.push({ name: `row total ${i}`, value: t.rowTotals[i]!, of: (x) => x[i]!.reduce((a, c) => a + c, 0) }));
  s.colTotals.forEach((v, j) => v === 'X' && out.push({ name: `col total ${j}`, value: t.colTotals[j]!, of: (x) => x.reduce((a, r) => a + r[j]!, 0) }));
  if (s.grandTotal === 'X') out.push({ name: 'grand total', value: t.grandTotal, of: (x) => x.flat().reduce((a, c) => a + c, 0) });
  return out;
}

/**
 * Full enumeration (small tables): every non-negative integer filling consistent with the shown
 * figures, each hidden value bounded by the shown totals (or the true grand total + 2 when nothing
 * bounds it: a subset of the solutions is enough to show two values). Every X takes ≥ 2 values.
 */
function proveByEnumeration(t: CountTable, s: Suppressed): number {
  const bound = (i: number, j: number) =>
    Math.min(...[s.rowTotals[i], s.colTotals[j], s.grandTotal].filter((v): v is number => v !== 'X'), t.grandTotal + 2);
  const figs = hiddenFigures(t, s);
  const seen = figs.map(() => new Set<number>());
  let count = 0;
  search(t, s, {
    range: (i, j) => [0, bound(i, j)],
    visit: (x) => {
      count++;
      figs.forEach((f, n) => seen[n]!.add(f.of(x)));
      expect(count).toBeLessThan(2_000_000);
      return false;
    },
  });
  expect(count).toBeGreaterThanOrEqual(1); // the true table itself
  figs.forEach((f, n) => expect(seen[n]!.size, `${f.name} (${f.value}) is derivable`).toBeGreaterThanOrEqual(2));
  return count;
}

/**
 * Witnesses (any size): for each X a consistent non-negative integer table where it is v + 1 and one
 * where it is v − 1 (when v ≥ 1), searching cells within ±1 of their true values. A hidden cell is
 * pinned to the target; a hidden total is searched for as if it were shown with the target value.
 */
function proveByWitnesses(t: CountTable, s: Suppressed): void {
  const R = t.rowLabels.length, C = t.colLabels.length;
  const near = (v: number): [number, number] => [v - 1, v + 1];
  const found = (s2: Suppressed, pin?: [number, number, number]) =>
    search(t, s2, {
      range: (i, j, v) => (pin && pin[0] === i && pin[1] === j ? [pin[2], pin[2]] : near(v)),
      visit: () => true,
    });
  const targets = (v: number) => [v + 1, v - 1].filter((x) => x >= 0);
  for (let i = 0; i < R; i++)
    for (let j = 0; j < C; j++)
      if (s.cells[i]![j] === 'X')
        for (const x of targets(t.cells[i]![j]!)) expect(found(s, [i, j, x]), `cell ${i},${j} (${t.cells[i]![j]}) cannot be ${x}`).toBe(true);
  for (let i = 0; i < R; i++)
    if (s.rowTotals[i] === 'X')
      for (const x of targets(t.rowTotals[i]!))
        expect(found({ ...s, rowTotals: s.rowTotals.map((v, n) => (n === i ? x : v)) }), `row total ${i} cannot be ${x}`).toBe(true);
  for (let j = 0; j < C; j++)
    if (s.colTotals[j] === 'X')
      for (const x of targets(t.colTotals[j]!))
        expect(found({ ...s, colTotals: s.colTotals.map((v, n) => (n === j ? x : v)) }), `col total ${j} cannot be ${x}`).toBe(true);
  if (s.grandTotal === 'X') for (const x of targets(t.grandTotal)) expect(found({ ...s, grandTotal: x }), `grand total cannot be ${x}`).toBe(true);
}

describe('suppress: hand-made tables', () => {
  it('hides a small cell with a rectangle of the cheapest cells, keeping totals', () => {
    const t = table([
      [1, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ]);
    const s = suppress(t);
    expect(s.cells).toEqual([
      ['X', 'X', 6],
      ['X', 'X', 9],
      [10, 11, 12],
    ]);
    expect(s.rowTotals).toEqual([12, 24, 33]);
    expect(s.colTotals).toEqual([18, 24, 27]);
    expect(s.grandTotal).toBe(69);
    expect([s.primary, s.secondary]).toEqual([1, 3]);
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
    expect(derivableFigures(t, s)).toEqual([]);
  });

  it('a row with one small cell among large ones gets a second X in that row and a matching rectangle', () => {
    const t = table([
      [2, 50, 60, 70],
      [30, 40, 35, 80],
      [45, 20, 90, 99],
    ]);
    const s = suppress(t);
    expect(xs(s)).toBe('XX../..../XX..'); // 2 + 50 + 20 + 45 = 117 is the least loss
    expect(s.rowTotals.concat(s.colTotals, [s.grandTotal])).not.toContain('X');
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
  });

  it('all cells small: everything hidden, the (large) totals still shown', () => {
    const t = table([
      [1, 2, 1],
      [2, 1, 2],
      [1, 1, 1],
    ]);
    const s = suppress(t);
    expect(xs(s)).toBe('XXX/XXX/XXX');
    expect(s.rowTotals).toEqual([4, 5, 3]);
    expect(s.colTotals).toEqual([4, 4, 4]);
    expect([s.primary, s.secondary]).toEqual([9, 0]);
    checkShown(t, s, 3);
    expect(proveByEnumeration(t, s)).toBeGreaterThan(1);
  });

  it('1×n: a column total repeats its cell, so both are hidden, with a second column', () => {
    const t = table([[5, 1, 7, 9]]);
    const s = suppress(t);
    expect(s.cells).toEqual([['X', 'X', 7, 9]]);
    expect(s.colTotals).toEqual(['X', 'X', 7, 9]);
    expect(s.rowTotals).toEqual([22]);
    expect(s.grandTotal).toBe(22);
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
  });

  it('n×1: a row total repeats its cell; two rows are hidden with their totals', () => {
    const t = table([[8], [2], [4], [30]]);
    const s = suppress(t);
    expect(s.cells.flat()).toEqual([8, 'X', 'X', 30]);
    expect(s.rowTotals).toEqual([8, 'X', 'X', 30]);
    expect([s.colTotals, s.grandTotal]).toEqual([[44], 44]);
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
  });

  it('n×1 with one non-zero row: only hiding the grand total protects it', () => {
    const t = table([[0], [4], [0]]);
    const s = suppress(t, { k: 5 });
    expect(s.cells.flat()).toEqual([0, 'X', 0]);
    expect(s.rowTotals).toEqual([0, 'X', 0]);
    expect([s.colTotals, s.grandTotal]).toEqual([['X'], 'X']);
    checkShown(t, s, 5);
    proveByEnumeration(t, s);
  });

  it('a small cell whose row neighbours are zeros: the zeros stay, the row total goes (with another row)', () => {
    const t = table([
      [0, 2, 0],
      [5, 6, 7],
      [8, 9, 10],
    ]);
    for (const smallTotals of ['hide', 'show'] as const) {
      const s = suppress(t, { smallTotals });
      expect(s.cells).toEqual([
        [0, 'X', 0],
        [5, 'X', 7],
        [8, 9, 10],
      ]);
      expect(s.rowTotals).toEqual(['X', 'X', 27]);
      expect([s.colTotals, s.grandTotal]).toEqual([[13, 17, 17], 47]);
      expect(s.primary).toBe(smallTotals === 'hide' ? 2 : 1); // the row total 2 is itself small
      checkShown(t, s, 3, smallTotals === 'hide');
      proveByEnumeration(t, s);
    }
  });

  it('zeros are never hidden, even when they would be the cheapest secondary cells', () => {
    const t = table([
      [1, 0, 4],
      [0, 0, 6],
      [3, 5, 0],
    ]);
    const s = suppress(t);
    t.cells.forEach((r, i) => r.forEach((v, j) => v === 0 && expect(s.cells[i]![j]).toBe(0)));
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
  });

  it('a small total is hidden (its one-way table would show X); smallTotals: "show" keeps it when safe', () => {
    const t = table([
      [1, 1, 0],
      [9, 8, 7],
      [6, 5, 4],
    ]);
    const hide = suppress(t);
    expect(hide.rowTotals[0]).toBe('X');
    checkShown(t, hide, 3);
    proveByEnumeration(t, hide);
    const show = suppress(t, { smallTotals: 'show' });
    expect(show.rowTotals).toEqual([2, 24, 15]);
    expect(xs(show)).toBe('XX./.../XX.');
    checkShown(t, show, 3, false);
    proveByEnumeration(t, show);
  });

  it('a table of fewer than k people hides every non-zero figure', () => {
    const t = table([
      [1, 0],
      [0, 1],
    ]);
    const s = suppress(t);
    expect(s).toMatchObject({ cells: [['X', 0], [0, 'X']], rowTotals: ['X', 'X'], colTotals: ['X', 'X'], grandTotal: 'X' });
    proveByEnumeration(t, s);
  });

  it('k is configurable: k = 1 hides nothing, a larger k hides more', () => {
    const t = table([
      [1, 4, 6],
      [3, 8, 9],
      [10, 11, 5],
    ]);
    const none = suppress(t, { k: 1 });
    expect([none.primary, none.secondary]).toEqual([0, 0]);
    expect(none.cells).toEqual(t.cells);
    for (const k of [2, 3, 5, 7]) {
      const s = suppress(t, { k });
      checkShown(t, s, k);
      proveByEnumeration(t, s);
    }
    expect(suppress(t, { k: 5 }).primary).toBe(3);
    expect(() => suppress(t, { k: 0 })).toThrow(/k は 1 以上/);
  });

  it('refuses inconsistent tables', () => {
    const t = table([[1, 2]]);
    expect(() => suppress({ ...t, grandTotal: 4 })).toThrow(/総合計/);
    expect(() => suppress({ ...t, rowTotals: [4] })).toThrow(/R1 の合計/);
    expect(() => suppress({ ...t, cells: [[1, -2]] })).toThrow(/0 以上の整数/);
    expect(() => suppress({ ...t, cells: [[1.5, 1.5]] })).toThrow(/0 以上の整数/);
  });

  it('empty tables and tables without small cells pass through', () => {
    expect(suppress(table([]))).toMatchObject({ cells: [], grandTotal: 0, primary: 0, secondary: 0 });
    const t = table([
      [0, 3],
      [4, 0],
    ]);
    expect(suppress(t).cells).toEqual(t.cells);
  });

  it('derivableFigures finds what a hand-edited pattern leaks', () => {
    const t = table([
      [1, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ]);
    const s = suppress(t);
    expect(derivableFigures(t, { ...s, cells: [['X', 5, 6], [7, 8, 9], [10, 11, 12]] })).toEqual([{ row: 0, col: 0 }]);
    expect(derivableFigures(t, { ...s, cells: [['X', 'X', 6], ['X', 'X', 9], [10, 11, 12]], rowTotals: ['X', 24, 33] })).toEqual([{ row: 0 }]);
    expect(derivableFigures(t, { ...s, grandTotal: 'X' })).toEqual([{}]);
  });
});

/** Random tables: sizes 1–5 × 1–5, values 0–20 with many zeros and small counts. */
const value = fc.oneof({ arbitrary: fc.constantFrom(0, 1, 2), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 2 });
const cellsArb = (maxR: number, maxC: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxR }), fc.integer({ min: 1, max: maxC }))
    .chain(([r, c]) => fc.array(fc.array(value, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

describe('suppress: random tables', () => {
  it('small tables: full enumeration shows every X takes ≥ 2 values', () => {
    fc.assert(
      fc.property(cellsArb(3, 3), fc.integer({ min: 2, max: 4 }), (cells, k) => {
        const t = table(cells);
        const s = suppress(t, { k });
        checkShown(t, s, k);
        proveByEnumeration(t, s);
        expect(derivableFigures(t, s)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('up to 5×5: every X can be one more and one less in a consistent table', () => {
    fc.assert(
      fc.property(cellsArb(5, 5), fc.integer({ min: 2, max: 5 }), fc.boolean(), (cells, k, showTotals) => {
        const t = table(cells);
        const s = suppress(t, { k, smallTotals: showTotals ? 'show' : 'hide' });
        checkShown(t, s, k, !showTotals);
        proveByWitnesses(t, s);
      }),
      { numRuns: 200 },
    );
  });
});

describe('suppress: performance', () => {
  it('a 50×20 table with many small cells takes under a second', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cells = Array.from({ length: 50 }, () => Array.from({ length: 20 }, () => (rand() < 0.3 ? Math.floor(rand() * 3) : Math.floor(rand() * 40))));
    const t = table(cells);
    const started = performance.now();
    const s = suppress(t);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(1000);
    checkShown(t, s, 3);
    expect(s.primary).toBeGreaterThan(100);
    expect(derivableFigures(t, s)).toEqual([]);
  });
});

describe('toCountTable / suppressedRows', () => {
  // a wizard count grouped by 地区 and 性別 (CUBE rows labelled 合計)
  const columns = ['地区', '性別', '人数'];
  const rows = [
    ['北', '男', 5n],
    ['北', '女', 1n],
    ['北', '合計', 6n],
    ['南', '男', 7n],
    ['南', '女', 9n],
    ['南', '合計', 16n],
    ['東', '男', 8n],
    ['東', '女', 6n],
    ['東', '合計', 14n],
    ['合計', '男', 20n],
    ['合計', '女', 16n],
    ['合計', '合計', 36n],
  ];

  it('builds the cross table, skipping and recomputing totals', () => {
    const t = toCountTable(columns, rows, { rowItems: ['地区'], colItem: '性別', value: '人数' });
    expect(t).toMatchObject({
      rowLabels: ['北', '南', '東'],
      colLabels: ['男', '女'],
      cells: [
        [5, 1],
        [7, 9],
        [8, 6],
      ],
      rowTotals: [6, 16, 14],
      colTotals: [20, 16],
      grandTotal: 36,
    });
  });

  it('renders the suppressed cross table with 合計 column and row', () => {
    const t = toCountTable(columns, rows, { rowItems: ['地区'], colItem: '性別', value: '人数' });
    const out = suppressedRows(t, suppress(t));
    expect(out.header).toEqual(['地区', '男', '女', '合計']);
    expect(out.rows).toEqual([
      ['北', 'X', 'X', 6],
      ['南', 7, 9, 16],
      ['東', 'X', 'X', 14],
      ['合計', 20, 16, 36],
    ]);
  });

  it('two row items: one label column each; missing combinations are 0; null labels are ""', () => {
    const t = toCountTable(
      ['地区', '住民種別', '性別', '人数'],
      [
        ['北', '日本人', '男', 10],
        ['北', '日本人', '女', 12],
        ['北', '外国人', '女', 1],
        ['北', '合計', '合計', 23],
        [null, '日本人', '男', 4],
        ['合計', '合計', '合計', 27],
      ],
      { rowItems: ['地区', '住民種別'], colItem: '性別', value: '人数' },
    );
    expect(t.rowKeys).toEqual([
      ['北', '日本人'],
      ['北', '外国人'],
      ['', '日本人'],
    ]);
    expect(t.cells).toEqual([
      [10, 12],
      [0, 1],
      [4, 0],
    ]);
    const s = suppress(t);
    const out = suppressedRows(t, s);
    expect(out.header).toEqual(['地区', '住民種別', '男', '女', '合計']);
    expect(out.rows.at(-1)!.slice(0, 2)).toEqual(['合計', '']);
    expect(out.rows[1]).toEqual(['北', '外国人', 0, 'X', 'X']);
    checkShown(t, s, 3);
    proveByEnumeration(t, s);
  });

  it('one item only: no repeated 合計 column; no items: one row', () => {
    const one = toCountTable(['性別', '人数'], [['男', 4], ['女', 2], ['合計', 6]], { rowItems: ['性別'], value: '人数' });
    expect(one).toMatchObject({ colLabels: ['人数'], cells: [[4], [2]] });
    expect(suppressedRows(one, suppress(one))).toEqual({
      header: ['性別', '人数'],
      rows: [
        ['男', 'X'],
        ['女', 'X'],
        ['合計', 6],
      ],
    });
    const across = toCountTable(['性別', '人数'], [['男', 4], ['女', 5], ['合計', 9]], { rowItems: [], colItem: '性別', value: '人数' });
    expect(suppressedRows(across, suppress(across))).toEqual({ header: ['', '男', '女', '合計'], rows: [['人数', 4, 5, 9]] });
    const none = toCountTable(['人数'], [[2n]], { rowItems: [], value: '人数' });
    expect(suppressedRows(none, suppress(none))).toEqual({ header: ['', '人数'], rows: [['人数', 'X']] });
  });

  it('sums repeated keys, accepts other total labels, and names a missing column', () => {
    const t = toCountTable(['年齢', '性別', '人口'], [['0～4歳', '男', 3], ['0～4歳', '男', '4'], ['総数', '計', 7]], { rowItems: ['年齢'], colItem: '性別', value: '人口' });
    expect(t.cells).toEqual([[7]]);
    expect(() => toCountTable(['a'], [], { rowItems: ['地区'], value: 'a' })).toThrow(/列「地区」/);
    expect(() => toCountTable(['a', 'n'], [['x', -1]], { rowItems: ['a'], value: 'n' })).toThrow(/0 以上の整数/);
  });
});
