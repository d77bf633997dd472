// Builds the 年報's tables (nenpo.md §3–§4) from the aggregates: Table 1 (人口、世帯数、人口動態),
// Table 2 (年齢階級別人口) and 年齢各歳別人口, one row per area (and per sex for the age tables).
import { AGE_BANDS, OTHER_IN, OTHER_OUT, SEXES, SINGLE_AGES, TABLE1_COLUMNS, ageTableColumns, type FlowColumn, type Segment, type Sex, type TableColumn } from './columns.ts';
import { key, type NenpoData } from './data.ts';
import type { Area } from './areas.ts';

export type Cell = string | number | null;

export interface Table {
  /** file name without .csv */
  name: string;
  columns: readonly TableColumn[];
  rows: Cell[][];
}

const sexKey = (sex: Sex): string => (sex === '計' ? '' : sex);
const segKey = (seg: Segment): string => seg.shubetsu ?? '';

/**
 * Persons on 基準日 (or on 前年1月1日 with `before`).
 * @example population(data, city, SEGMENTS[1], '男') // 9 for みほん町 2022
 */
export function population(data: NenpoData, area: Area, seg: Segment, sex: Sex, before = false): number {
  return (before ? data.popBefore : data.pop).get(key(area.key, segKey(seg), sexKey(sex))) ?? 0;
}

/**
 * Events of one 集計列 in the period; wards count moves between wards, the municipality does not.
 * @example flow(data, ward, SEGMENTS[0], '計', '転入者数（国内）')
 */
export function flow(data: NenpoData, area: Area, seg: Segment, sex: Sex, col: FlowColumn): number {
  return data.flows.get(key(area.key === '' ? '市' : '区', area.key, segKey(seg), sexKey(sex), col)) ?? 0;
}

export interface FlowTotals {
  inDomestic: number; inAbroad: number; births: number; otherIn: number[];
  outDomestic: number; outAbroad: number; deaths: number; otherOut: number[];
  /** 記載計（Ａ） */ a: number;
  /** 消除計（Ｂ） */ b: number;
  natural: number;
  social: number;
}

/**
 * The period's counts as the segment's table shows them (その他 columns per OTHER_IN / OTHER_OUT).
 * @example flowTotals(data, city, SEGMENTS[1], '計').a // 記載計（Ａ）
 */
export function flowTotals(data: NenpoData, area: Area, seg: Segment, sex: Sex): FlowTotals {
  const f = (col: FlowColumn) => flow(data, area, seg, sex, col);
  const inDomestic = f('転入者数（国内）');
  const inAbroad = f('転入者数（国外）');
  const births = f('出生者数');
  const otherIn = OTHER_IN[seg.key].map(f);
  const outDomestic = f('転出者数（国内）');
  const outAbroad = f('転出者数（国外）');
  const deaths = f('死亡者数');
  const otherOut = OTHER_OUT[seg.key].map(f);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const a = inDomestic + inAbroad + births + sum(otherIn);
  const b = outDomestic + outAbroad + deaths + sum(otherOut);
  return {
    inDomestic, inAbroad, births, otherIn, outDomestic, outAbroad, deaths, otherOut, a, b,
    natural: births - deaths,
    social: inDomestic + inAbroad + sum(otherIn) - (outDomestic + outAbroad + sum(otherOut)),
  };
}

/**
 * count ÷ base × 100, rounded half up (away from zero) to 3 decimals, exactly (BigInt); '' when
 * the base is 0.
 * @example rate(-2, 21) // '-9.524';  rate(0, 31) // '0.000'
 */
export function rate(count: number, base: number): string {
  if (base === 0) return '';
  const abs = BigInt(Math.abs(count));
  const b = BigInt(base);
  const thousandths = (abs * 200_000n + b) / (2n * b);
  if (thousandths === 0n) return '0.000';
  const text = `${thousandths / 1000n}.${String(thousandths % 1000n).padStart(3, '0')}`;
  return count < 0 ? `-${text}` : text;
}

/**
 * Households on 基準日: 日本人住民のみ, 複数国籍, 外国人住民のみ, and every household counted directly.
 * @example households(data, city) // { jpOnly: 8, mixed: 3, frOnly: 6, all: 17 }
 */
export function households(data: NenpoData, area: Area): { jpOnly: number; mixed: number; frOnly: number; all: number } {
  const h = (kind: string) => data.households.get(key(area.key, kind)) ?? 0;
  return { jpOnly: h('日本人住民のみ'), mixed: h('複数国籍'), frOnly: h('外国人住民のみ'), all: h('') };
}

function areaCells(area: Area): Cell[] {
  return [area.code, area.prefecture, area.name];
}

/**
 * One Table 1 row (values in TABLE1_COLUMNS order).
 * @example table1Row(data, city, SEGMENTS[2]) // ['013854', '北海道', 'みほん町', 6, 7, 13, …]
 */
export function table1Row(data: NenpoData, area: Area, seg: Segment): Cell[] {
  const t = flowTotals(data, area, seg, '計');
  const base = population(data, area, seg, '計', true);
  const hh = households(data, area);
  const pop = SEXES.slice(1).map((s) => population(data, area, seg, s));
  const popTotal = population(data, area, seg, '計');
  const hhCells = seg.key === 'jp' ? [hh.jpOnly, hh.mixed, hh.jpOnly + hh.mixed] : seg.key === 'fr' ? [hh.frOnly] : [hh.jpOnly + hh.mixed + hh.frOnly];
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const otherIn = seg.key === 'total' ? [sum(t.otherIn)] : [...t.otherIn, sum(t.otherIn)];
  const otherOut = seg.key === 'total' ? [sum(t.otherOut)] : [...t.otherOut, sum(t.otherOut)];
  return [
    ...areaCells(area), ...pop, popTotal, ...hhCells,
    t.inDomestic, t.inAbroad, t.inDomestic + t.inAbroad, t.births, ...otherIn, t.a,
    t.outDomestic, t.outAbroad, t.outDomestic + t.outAbroad, t.deaths, ...otherOut, t.b,
    t.a - t.b, rate(t.a - t.b, base), t.natural, rate(t.natural, base), t.social, rate(t.social, base),
  ];
}

/**
 * Table 1 of one segment.
 * @example table1(data, areas, SEGMENTS[0], '人口世帯数人口動態_総計').rows
 */
export function table1(data: NenpoData, areas: readonly Area[], seg: Segment, name: string): Table {
  const columns = TABLE1_COLUMNS[seg.key];
  const rows = areas.map((a) => table1Row(data, a, seg));
  for (const r of rows) if (r.length !== columns.length) throw new Error(`内部エラー: ${name} の列数 ${r.length} ≠ ${columns.length}`);
  return { name, columns, rows };
}

/**
 * Persons of one age class (0–100, -1 no usable age, -2 生年月日不詳) on 基準日.
 * @example ageCount(data, city, SEGMENTS[0], '計', -2) // persons with 生年月日不詳
 */
export function ageCount(data: NenpoData, area: Area, seg: Segment, sex: Sex, age: number): number {
  return data.ages.get(key(area.key, segKey(seg), sexKey(sex), age)) ?? 0;
}

/**
 * Table 2 (bands) or 年齢各歳別人口 (single) of one segment: per area 計, 男, 女.
 * @example ageTable(data, areas, SEGMENTS[0], 'bands', '年齢階級別人口_総計')
 */
export function ageTable(data: NenpoData, areas: readonly Area[], seg: Segment, kind: 'bands' | 'single', name: string): Table {
  const rows: Cell[][] = [];
  for (const area of areas) {
    for (const sex of SEXES) {
      const n = (age: number) => ageCount(data, area, seg, sex, age);
      const counts = kind === 'bands'
        ? AGE_BANDS.map(([, lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => n(lo + i)).reduce((s, x) => s + x, 0))
        : SINGLE_AGES.map(([, age]) => n(age));
      rows.push([...areaCells(area), sex, population(data, area, seg, sex), ...counts]);
    }
  }
  return { name, columns: ageTableColumns(kind), rows };
}
