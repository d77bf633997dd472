// 公表用 (euc.md §5): any count result — a standard aggregate, a wizard count or a statutory table —
// turned into a cross table with totals where small figures and the figures that would reveal them
// are X (src/euc/suppress.ts). A result is either long (row items, one column item, one value column)
// or wide (row items, several value columns such as 男 / 女).
import type { CellValue, ExportColumn } from '../export/types.ts';
import { suppress, suppressedRows, toCountTable, DEFAULT_K, type CountTable, type Suppressed } from './suppress.ts';

/** How a result forms a count table: long (`colItem` + `value`) or wide (`valueColumns`). */
export interface PublishShape {
  rowItems: string[];
  colItem?: string;
  value?: string;
  valueColumns?: string[];
}

export interface Published {
  columns: ExportColumn[];
  rows: CellValue[][];
  k: number;
  /** figures hidden because they are small / hidden so that those cannot be recomputed */
  primary: number;
  secondary: number;
  /** a line for the 条件 sheet and the preview */
  note: string;
}

// internal names of the long form (never shown: the output header carries the value columns' names)
const COLUMN_LABEL = '\u0000列';
const VALUE_LABEL = '\u0000値';

/**
 * The 公表用 variant of a count result.
 * @example publish(['地区', '性別', '人数'], rows, { rowItems: ['地区'], colItem: '性別', value: '人数' }, 3)
 */
export function publish(columns: string[], rows: CellValue[][], shape: PublishShape, k = DEFAULT_K): Published {
  const table = countTableOf(columns, rows, shape);
  const s = suppress(table, { k });
  return {
    ...layoutOf(table, s, shape),
    k,
    primary: s.primary,
    secondary: s.secondary,
    note: `${k} 未満の数値と、それを逆算できる数値を X で秘匿（一次 ${s.primary}、二次 ${s.secondary}）`,
  };
}

/**
 * The same cross table without suppression (the wizard's クロス表 layout): every count shown.
 * @example crossTable(['地区', '性別', '人数'], rows, { rowItems: ['地区'], colItem: '性別', value: '人数' })
 */
export function crossTable(columns: string[], rows: CellValue[][], shape: PublishShape): { columns: ExportColumn[]; rows: CellValue[][] } {
  const table = countTableOf(columns, rows, shape);
  const shown: Suppressed = { cells: table.cells, rowTotals: table.rowTotals, colTotals: table.colTotals, grandTotal: table.grandTotal, primary: 0, secondary: 0 };
  return layoutOf(table, shown, shape);
}

function layoutOf(table: CountTable, s: Suppressed, shape: PublishShape): { columns: ExportColumn[]; rows: CellValue[][] } {
  const out = suppressedRows(table, s);
  const textColumns = Math.max(shape.rowItems.length, 1);
  return { columns: out.header.map((name, i) => ({ name: name || '合計', kind: i < textColumns ? 'text' : 'int' })), rows: out.rows };
}

function countTableOf(columns: string[], rows: CellValue[][], shape: PublishShape): CountTable {
  let cols = columns;
  let data = rows;
  let colItem = shape.colItem;
  let value = shape.value;
  if (shape.valueColumns) {
    // wide → long: one row per (row keys, value column)
    const keyIdx = shape.rowItems.map((r) => columns.indexOf(r));
    const valueIdx = shape.valueColumns.map((v) => columns.indexOf(v));
    const missing = [...shape.rowItems, ...shape.valueColumns].filter((n) => !columns.includes(n));
    if (missing.length) throw new Error(`公表用: 列「${missing.join('、')}」が結果にありません`);
    cols = [...shape.rowItems, COLUMN_LABEL, VALUE_LABEL];
    data = rows.flatMap((r) => valueIdx.map((vi, j) => [...keyIdx.map((ki) => r[ki]!), shape.valueColumns![j]!, r[vi]!]));
    colItem = COLUMN_LABEL;
    value = VALUE_LABEL;
  }
  if (!value) throw new Error('公表用: 値の列が指定されていません');
  return toCountTable(cols, data, { rowItems: shape.rowItems, ...(colItem ? { colItem } : {}), value });
}
