// Charts for EUC extract results: a ChartDef plus the result rows → a vega-lite spec → an SVG
// string rendered on the server (vega View with renderer 'none'; no canvas, no browser).
// Three kinds: a population pyramid (men left, women right), a line chart over months with an
// optional series column, and a bar chart of categories (top 15 plus その他, optionally stacked).
// Rows are aggregated here (duplicate keys are summed, totals rows such as 計/総数 are skipped), so
// the spec carries exactly one datum per mark. Labels are Japanese; numbers use ',d'.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

import type { CellValue, ChartDef } from './types.ts';

export type { CellValue, ChartDef };

/** Font stack for every text in the chart (IPAexGothic is installed on the server). */
export const CHART_FONT = "IPAexGothic, 'Noto Sans CJK JP', sans-serif";
/** Overall chart width in pixels (the plot area is fitted inside it). */
const CHART_WIDTH = 640;
/** Bar charts show this many categories; the rest are folded into その他. */
const BAR_TOP = 15;
const OTHER = 'その他';
/** Category / age / sex labels that mark a totals row rather than data. */
const TOTAL_LABELS = new Set(['計', '合計', '総数', '総計', '小計', '全体']);
const SEX_COLORS: Record<string, string> = { 男: '#4e79a7', 女: '#e15759' };
const NUMBER_FORMAT = ',d';

/**
 * Builds the vega-lite spec for a chart of `rows` (aligned with `columns`).
 * Throws an Error naming the column when a column in `def` is not among `columns`.
 *
 * @example
 * const spec = chartSpec(
 *   { kind: 'pyramid', age: '年齢', sex: '性別', value: '人口' },
 *   ['年齢', '性別', '人口'],
 *   [['0～4歳', '男', 120n], ['0～4歳', '女', 115n], ['5～9歳', '男', 130n], ['5～9歳', '女', 128n]],
 *   '人口ピラミッド（令和7年1月1日）',
 * );
 * // spec.data.values has 人口 = -120 for 男 (left) and 115 for 女 (right)
 */
export function chartSpec(def: ChartDef, columns: string[], rows: CellValue[][], title: string): TopLevelSpec {
  switch (def.kind) {
    case 'pyramid':
      return pyramidSpec(def, columns, rows, title);
    case 'line':
      return lineSpec(def, columns, rows, title);
    case 'bar':
      return barSpec(def, columns, rows, title);
  }
}

/**
 * Renders the chart to an SVG document string (vega-lite → vega → SVG, no canvas needed).
 *
 * @example
 * const svg = await renderChartSvg(
 *   { kind: 'bar', x: '国籍・地域', y: '人数' },
 *   ['国籍・地域', '人数'],
 *   [['中国', 1200], ['ベトナム', 950], ['韓国', 600]],
 *   '国籍・地域別外国人住民数',
 * );
 * // svg starts with '<svg' and contains the title and the nationality labels
 */
export async function renderChartSvg(
  def: ChartDef,
  columns: string[],
  rows: CellValue[][],
  title: string,
): Promise<string> {
  const vgSpec = compile(chartSpec(def, columns, rows, title)).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// ---------------------------------------------------------------------------------------------
// Kinds

function pyramidSpec(
  def: Extract<ChartDef, { kind: 'pyramid' }>,
  columns: string[],
  rows: CellValue[][],
  title: string,
): TopLevelSpec {
  const ageI = columnIndex(columns, def.age);
  const sexI = columnIndex(columns, def.sex);
  const valueI = columnIndex(columns, def.value);
  const ages: string[] = [];
  const sums = new Map<string, number>(); // key: sex + '\t' + age
  for (const row of rows) {
    const age = label(row[ageI]);
    const sex = sexLabel(row[sexI]);
    const value = toNumber(row[valueI]);
    if (age === null || sex === null || value === null || TOTAL_LABELS.has(age)) continue;
    if (!ages.includes(age)) ages.push(age);
    const key = `${sex}\t${age}`;
    sums.set(key, (sums.get(key) ?? 0) + value);
  }
  const values: Record<string, string | number>[] = [];
  let maxAbs = 0;
  for (const age of ages) {
    for (const sex of ['男', '女'] as const) {
      const sum = sums.get(`${sex}\t${age}`);
      if (sum === undefined) continue;
      maxAbs = Math.max(maxAbs, Math.abs(sum));
      values.push({ age, sex, value: sex === '男' ? -Math.abs(sum) : Math.abs(sum) });
    }
  }
  // The y axis lists ages top to bottom, so the oldest must come first.
  const yOrder = oldestFirst(ages);
  return {
    ...common(title, values.length === 0),
    height: clamp(ages.length * 16, 160, 640),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'value',
        type: 'quantitative',
        title: `${def.value}（左：男　右：女）`,
        scale: maxAbs > 0 ? { domain: [-maxAbs, maxAbs], nice: true } : {},
        axis: { labelExpr: `format(abs(datum.value), '${NUMBER_FORMAT}')`, grid: true, tickMinStep: 1 },
      },
      y: {
        field: 'age',
        type: 'ordinal',
        title: def.age,
        sort: yOrder,
        scale: { paddingInner: 0.1 },
        axis: { labelOverlap: 'parity' },
      },
      color: {
        field: 'sex',
        type: 'nominal',
        title: def.sex,
        scale: { domain: ['男', '女'], range: [SEX_COLORS['男']!, SEX_COLORS['女']!] },
        legend: { orient: 'top' },
      },
    },
  };
}

/**
 * y summed per x (in first-seen order) and series (line and bar charts), total rows (計, 総数 …) skipped.
 * @example sumBySeries({ kind: 'bar', x: '国籍・地域', y: '人数', series: '内訳' }, columns, rows).sums.get('中国')?.get('男')
 */
function sumBySeries(
  def: { x: string; y: string; series?: string }, columns: string[], rows: CellValue[][],
): { sums: Map<string, Map<string, number>>; seriesNames: string[] } {
  const xI = columnIndex(columns, def.x);
  const yI = columnIndex(columns, def.y);
  const sI = def.series === undefined ? undefined : columnIndex(columns, def.series);
  const seriesNames: string[] = [];
  const sums = new Map<string, Map<string, number>>(); // x → series → sum
  for (const row of rows) {
    const x = label(row[xI]);
    const y = toNumber(row[yI]);
    const series = sI === undefined ? '' : label(row[sI]);
    if (x === null || y === null || series === null || TOTAL_LABELS.has(x) || TOTAL_LABELS.has(series)) continue;
    if (!seriesNames.includes(series)) seriesNames.push(series);
    let bySeries = sums.get(x);
    if (bySeries === undefined) sums.set(x, (bySeries = new Map()));
    bySeries.set(series, (bySeries.get(series) ?? 0) + y);
  }
  return { sums, seriesNames };
}

function lineSpec(
  def: Extract<ChartDef, { kind: 'line' }>,
  columns: string[],
  rows: CellValue[][],
  title: string,
): TopLevelSpec {
  const { sums, seriesNames } = sumBySeries(def, columns, rows);
  const xs = [...sums.keys()];
  // Months ('2025-01') and dates ('2025-01-31') go on a UTC time scale; anything else keeps row order.
  const times = new Map(xs.map((x) => [x, parseMonthOrDate(x)]));
  const temporal = xs.length > 0 && [...times.values()].every((t) => t !== null);
  const monthly = xs.every((x) => /^\d{4}-\d{2}$/.test(x.trim()) || /^\d{4}-\d{2}-01$/.test(x.trim()));
  const values: Record<string, string | number>[] = [];
  for (const series of seriesNames) {
    for (const x of xs) {
      const y = sums.get(x)?.get(series);
      if (y === undefined) continue;
      values.push({ x: temporal ? times.get(x)! : x, label: x, series, y });
    }
  }
  if (temporal) values.sort((a, b) => (a.x as number) - (b.x as number));
  const points = xs.length <= 60;
  return {
    ...common(title, values.length === 0),
    height: 320,
    data: { values },
    mark: { type: 'line', point: points },
    encoding: {
      x: temporal
        ? {
            field: 'x',
            type: 'temporal',
            title: def.x,
            scale: { type: 'utc' },
            axis: { format: monthly ? '%Y-%m' : '%Y-%m-%d', labelAngle: -45, labelOverlap: true },
          }
        : { field: 'x', type: 'ordinal', title: def.x, sort: xs, axis: { labelAngle: -45, labelOverlap: true } },
      y: { field: 'y', type: 'quantitative', title: def.y, axis: { format: NUMBER_FORMAT, tickMinStep: 1 } },
      ...(def.series === undefined
        ? {}
        : { color: { field: 'series', type: 'nominal', title: def.series, sort: seriesNames, ...sexScale(seriesNames), legend: { orient: 'top' } } }),
    },
  };
}

function barSpec(
  def: Extract<ChartDef, { kind: 'bar' }>,
  columns: string[],
  rows: CellValue[][],
  title: string,
): TopLevelSpec {
  const { sums, seriesNames } = sumBySeries(def, columns, rows);
  const folded = foldCategories(sums, BAR_TOP);
  const values: Record<string, string | number>[] = [];
  for (const { category, bySeries } of folded) {
    for (const series of seriesNames) {
      const y = bySeries.get(series);
      if (y !== undefined) values.push({ category, series, y });
    }
  }
  const order = folded.map((c) => c.category);
  // Horizontal bars: long Japanese category names read best on the vertical axis.
  return {
    ...common(title, values.length === 0),
    height: clamp(order.length * 24, 120, 640),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'category', type: 'nominal', title: def.x, sort: order, scale: { paddingInner: 0.15 } },
      x: { field: 'y', type: 'quantitative', title: def.y, stack: 'zero', axis: { format: NUMBER_FORMAT, tickMinStep: 1 } },
      ...(def.series === undefined
        ? {}
        : {
            // The stack follows the colour domain, i.e. series in row order (男 before 女).
            color: { field: 'series', type: 'nominal', title: def.series, sort: seriesNames, ...sexScale(seriesNames), legend: { orient: 'top' } },
          }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Properties shared by every chart: title, width, font, number formats. */
function common(title: string, empty: boolean) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' as const, ...(empty ? { subtitle: 'データがありません' } : {}) },
    width: CHART_WIDTH,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    background: 'white',
    config: {
      font: CHART_FONT,
      numberFormat: NUMBER_FORMAT,
      title: { font: CHART_FONT, fontSize: 16, subtitleFont: CHART_FONT },
      axis: { labelFont: CHART_FONT, titleFont: CHART_FONT, labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFont: CHART_FONT, titleFont: CHART_FONT },
    },
  };
}

/** Index of a named column; throws an Error naming it when it is missing. */
function columnIndex(columns: string[], name: string): number {
  const i = columns.indexOf(name);
  if (i < 0) {
    throw new Error(`chart: column "${name}" is not in the result (columns: ${columns.join(', ') || 'none'})`);
  }
  return i;
}

/** A cell as a trimmed label, or null when empty. */
function label(cell: CellValue | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  const text = String(cell).trim();
  return text === '' ? null : text;
}

/** 男 / 女 (also 男性 / 女性); anything else (計, 不詳…) is null. */
function sexLabel(cell: CellValue | undefined): '男' | '女' | null {
  const text = label(cell);
  if (text === '男' || text === '男性') return '男';
  if (text === '女' || text === '女性') return '女';
  return null;
}

/** A cell as a finite number (bigint and numeric strings converted), or null. */
function toNumber(cell: CellValue | undefined): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'bigint') return Number(cell);
  if (typeof cell === 'string' && cell.trim() !== '') {
    const n = Number(cell.replaceAll(',', '').trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** 'YYYY-MM' or 'YYYY-MM-DD' (optionally with a time part) → UTC milliseconds, else null. */
function parseMonthOrDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$/.exec(text.trim());
  if (m === null) return null;
  const [, y, mo, d] = m;
  const month = Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return Date.UTC(Number(y), month - 1, day);
}

/** The first number in an age label ('０～４歳' → 0, '100歳以上' → 100), full-width digits included. */
function leadingAge(age: string): number | null {
  const ascii = age.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = /\d+/.exec(ascii);
  return m === null ? null : Number(m[0]);
}

/**
 * Ages in row order, flipped when the rows run youngest → oldest, so the oldest comes first
 * (the top of the pyramid). Rows already running oldest → youngest keep their order.
 */
function oldestFirst(ages: string[]): string[] {
  const first = ages[0] === undefined ? null : leadingAge(ages[0]);
  const last = ages[ages.length - 1] === undefined ? null : leadingAge(ages[ages.length - 1]!);
  if (first !== null && last !== null && first > last) return [...ages];
  return [...ages].reverse();
}

/**
 * Categories sorted by total (descending), the top `top` kept and the rest summed into その他,
 * which always comes last (an existing その他 category is merged into it).
 */
function foldCategories(
  sums: Map<string, Map<string, number>>,
  top: number,
): { category: string; bySeries: Map<string, number> }[] {
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const named = [...sums.entries()]
    .filter(([category]) => category !== OTHER)
    .map(([category, bySeries]) => ({ category, bySeries, total: total(bySeries) }))
    .sort((a, b) => b.total - a.total); // stable: ties keep row order
  const kept = named.slice(0, top);
  const rest = named.slice(top);
  const other = new Map(sums.get(OTHER) ?? []);
  for (const { bySeries } of rest) {
    for (const [series, y] of bySeries) other.set(series, (other.get(series) ?? 0) + y);
  }
  const result = kept.map(({ category, bySeries }) => ({ category, bySeries }));
  if (other.size > 0) result.push({ category: OTHER, bySeries: other });
  return result;
}

/** Fixed blue/red for 男/女 series so they match the pyramid; other series use the default scheme. */
function sexScale(series: string[]): { scale?: { domain: string[]; range: string[] } } {
  if (series.length === 0 || !series.every((s) => s in SEX_COLORS)) return {};
  return { scale: { domain: series, range: series.map((s) => SEX_COLORS[s]!) } };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
