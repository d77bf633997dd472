// The 年報's fixed vocabulary (nenpo.md §3–§4): the three segments, the Table 1 columns of each in
// the published order (with the two header levels the workbook shows), the age bands, and the
// 集計列 names that column_mapping.csv may use.

export type SegmentKey = 'total' | 'jp' | 'fr';

export interface Segment {
  key: SegmentKey;
  /** as in the file names and the workbook: 総計 / 日本人住民 / 外国人住民 */
  label: '総計' | '日本人住民' | '外国人住民';
  /** the 住民種別 counted, or null for 総計 (everyone) */
  shubetsu: '日本人' | '外国人' | null;
}

export const SEGMENTS: readonly Segment[] = [
  { key: 'total', label: '総計', shubetsu: null },
  { key: 'jp', label: '日本人住民', shubetsu: '日本人' },
  { key: 'fr', label: '外国人住民', shubetsu: '外国人' },
];

export type ColumnFormat = 'code' | 'text' | 'count' | 'rate';

export interface TableColumn {
  /** the CSV header, exactly as nenpo.md §3/§4 */
  header: string;
  /** upper header in the workbook (spanning its sub columns); undefined = one cell over both rows */
  group?: string;
  /** lower header in the workbook */
  sub?: string;
  format: ColumnFormat;
}

/** The 集計列 of 日本人住民 / 外国人住民 that column_mapping.csv may name, plus its two keywords. */
export const FLOW_COLUMNS = [
  '転入者数（国内）', '転入者数（国外）', '出生者数',
  'その他記載（帰化等）', 'その他記載（国籍喪失）', 'その他記載（その他）',
  '転出者数（国内）', '転出者数（国外）', '死亡者数',
  'その他消除（国籍喪失）', 'その他消除（帰化等）', 'その他消除（その他）',
] as const;
export type FlowColumn = (typeof FLOW_COLUMNS)[number];
export const MAPPING_KEYWORDS = ['数えない', '区間移動'] as const;

/** Which その他記載 / その他消除 columns a segment's table shows (総計 shows their sum only). */
export const OTHER_IN: Record<SegmentKey, readonly FlowColumn[]> = {
  total: ['その他記載（帰化等）', 'その他記載（国籍喪失）', 'その他記載（その他）'],
  jp: ['その他記載（帰化等）', 'その他記載（その他）'],
  fr: ['その他記載（国籍喪失）', 'その他記載（その他）'],
};
export const OTHER_OUT: Record<SegmentKey, readonly FlowColumn[]> = {
  total: ['その他消除（国籍喪失）', 'その他消除（帰化等）', 'その他消除（その他）'],
  jp: ['その他消除（国籍喪失）', 'その他消除（その他）'],
  fr: ['その他消除（帰化等）', 'その他消除（その他）'],
};

const c = (header: string, format: ColumnFormat, group?: string, sub?: string): TableColumn => ({ header, format, group, sub });

/** 団体コード, 都道府県名, 市区町村名: the first columns of every table. */
export const AREA_COLUMNS: readonly TableColumn[] = [c('団体コード', 'code'), c('都道府県名', 'text'), c('市区町村名', 'text')];

const POPULATION = [c('人口（男）', 'count', '人口', '男'), c('人口（女）', 'count', '人口', '女'), c('人口（計）', 'count', '人口', '計')];
const MOVES_IN = [c('転入者数（国内）', 'count', '転入者数', '国内'), c('転入者数（国外）', 'count', '転入者数', '国外'), c('転入者数（計）', 'count', '転入者数', '計'), c('出生者数', 'count')];
const MOVES_OUT = [c('転出者数（国内）', 'count', '転出者数', '国内'), c('転出者数（国外）', 'count', '転出者数', '国外'), c('転出者数（計）', 'count', '転出者数', '計'), c('死亡者数', 'count')];
const CHANGE = [
  c('増減数（Ａ）－（Ｂ）', 'count'), c('増減率', 'rate'), c('自然増減数', 'count'), c('自然増減率', 'rate'), c('社会増減数', 'count'), c('社会増減率', 'rate'),
];
const sub = (header: string) => /（(.+)）$/.exec(header)![1]!;
const others = (cols: readonly FlowColumn[], group: string): TableColumn[] =>
  [...cols.map((h) => c(h, 'count', group, sub(h))), c(`${group}（計）`, 'count', group, '計')];

/** Table 1 columns per segment: 総計 25, 日本人住民 31, 外国人住民 29. */
export const TABLE1_COLUMNS: Record<SegmentKey, readonly TableColumn[]> = {
  total: [
    ...AREA_COLUMNS, ...POPULATION, c('世帯数', 'count'), ...MOVES_IN, c('その他記載', 'count'), c('記載計（Ａ）', 'count'),
    ...MOVES_OUT, c('その他消除', 'count'), c('消除計（Ｂ）', 'count'), ...CHANGE,
  ],
  jp: [
    ...AREA_COLUMNS, ...POPULATION,
    c('世帯数（日本人住民のみ）', 'count', '世帯数', '日本人住民のみ'), c('世帯数（複数国籍）', 'count', '世帯数', '複数国籍'), c('世帯数（計）', 'count', '世帯数', '計'),
    ...MOVES_IN, ...others(OTHER_IN.jp, 'その他記載'), c('記載計（Ａ）', 'count'),
    ...MOVES_OUT, ...others(OTHER_OUT.jp, 'その他消除'), c('消除計（Ｂ）', 'count'), ...CHANGE,
  ],
  fr: [
    ...AREA_COLUMNS, ...POPULATION, c('世帯数', 'count'),
    ...MOVES_IN, ...others(OTHER_IN.fr, 'その他記載'), c('記載計（Ａ）', 'count'),
    ...MOVES_OUT, ...others(OTHER_OUT.fr, 'その他消除'), c('消除計（Ｂ）', 'count'), ...CHANGE,
  ],
};

/** The 21 age bands of Table 2: [label, first age, last age] (100 = 100歳以上). */
export const AGE_BANDS: readonly (readonly [string, number, number])[] = [
  ...Array.from({ length: 20 }, (_, i) => [`${i * 5}歳～${i * 5 + 4}歳`, i * 5, i * 5 + 4] as const),
  ['100歳以上', 100, 100] as const,
];

/** The single-year ages of 年齢各歳別人口: [label, age]. */
export const SINGLE_AGES: readonly (readonly [string, number])[] = [
  ...Array.from({ length: 100 }, (_, i) => [`${i}歳`, i] as const),
  ['100歳以上', 100] as const,
];

export const SEXES = ['計', '男', '女'] as const;
export type Sex = (typeof SEXES)[number];

/**
 * Table 2 (年齢階級別人口) and 年齢各歳別人口 columns.
 * @example ageTableColumns('bands').length // 26
 */
export function ageTableColumns(kind: 'bands' | 'single'): TableColumn[] {
  const group = kind === 'bands' ? '年齢（5歳階級）' : '年齢（各歳）';
  const labels = kind === 'bands' ? AGE_BANDS.map((b) => b[0]) : SINGLE_AGES.map((a) => a[0]);
  return [...AREA_COLUMNS, c('性別', 'text'), c('総数', 'count'), ...labels.map((l) => c(l, 'count', group, l))];
}

/** Output file names of nenpo.md §6 (without .csv). */
export const FILE_NAMES = {
  table1: (s: Segment) => `人口世帯数人口動態_${s.label}`,
  bands: (s: Segment) => `年齢階級別人口_${s.label}`,
  single: (s: Segment) => `年齢各歳別人口_${s.label}`,
  checks: '整合性チェック',
} as const;
