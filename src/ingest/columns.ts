// The columns of 住民.csv and 異動履歴.csv (snapshot-format.md §3, §4): names, types and value rules.
// Staging, validation and typing SQL are generated from this table (identifiers only, never data).

export type FileKind = 'residents' | 'history';

export const FILE_NAMES: Record<FileKind, string> = {
  residents: '住民',
  history: '異動履歴',
};

export type ColumnType =
  | { type: 'digits' }
  | { type: 'digitsN'; length: number }
  | { type: 'text' }
  | { type: 'date'; birth?: boolean }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'flag01' }
  | { type: 'posint' }
  | { type: 'master'; master: 'ido_jiyu' | 'nationality' | 'zairyu_shikaku' };

export interface ColumnSpec {
  name: string;
  /** Required on every row (conditional requirements are separate checks). */
  required: boolean;
  kind: ColumnType;
}

export const JUMIN_SHUBETSU = ['日本人', '外国人'] as const;
export const JUMIN_JOTAI = ['現存', '消除'] as const;
export const SEIBETSU_INPUT = ['男', '女', '1', '2'] as const;
export const SHOJO_JIYU = [
  '国内転出', '国外転出', '死亡', '職権消除（帰化等）', '職権消除（国籍喪失）', '職権消除', '改製', '再製', '異動の取消し（減）',
] as const;
export const HO30_45 = [
  '中長期在留者', '特別永住者', '一時庇護許可者', '仮滞在許可者', '出生による経過滞在者', '国籍喪失による経過滞在者',
] as const;
export const JUKYOCHI_TODOKEDE = ['19条の7', '19条の8', '19条の9', '特例法10条1項', '特例法10条2項'] as const;
export const TORIKESHI_JIYU = ['異動の取消し（増）', '異動の取消し（減）', '異動の取消し（修正）'] as const;

/** Columns of both files, in the order of the spec. */
export const COMMON_COLUMNS: readonly ColumnSpec[] = [
  { name: '宛名番号', required: true, kind: { type: 'digits' } },
  { name: '世帯番号', required: true, kind: { type: 'digits' } },
  { name: '住民種別', required: true, kind: { type: 'enum', values: JUMIN_SHUBETSU } },
  { name: '住民状態', required: true, kind: { type: 'enum', values: JUMIN_JOTAI } },
  { name: '氏名', required: false, kind: { type: 'text' } },
  { name: '氏名カナ', required: false, kind: { type: 'text' } },
  { name: '氏名英字', required: false, kind: { type: 'text' } },
  { name: '通称', required: false, kind: { type: 'text' } },
  { name: '生年月日', required: false, kind: { type: 'date', birth: true } },
  { name: '生年月日不詳', required: false, kind: { type: 'flag01' } },
  { name: '性別', required: true, kind: { type: 'enum', values: SEIBETSU_INPUT } },
  { name: '続柄', required: false, kind: { type: 'text' } },
  { name: '住民となった年月日', required: true, kind: { type: 'date' } },
  { name: '住所コード', required: true, kind: { type: 'digitsN', length: 11 } },
  { name: '住所', required: false, kind: { type: 'text' } },
  { name: '方書', required: false, kind: { type: 'text' } },
  { name: '郵便番号', required: false, kind: { type: 'digitsN', length: 7 } },
  { name: '地区コード', required: false, kind: { type: 'text' } },
  { name: '住定日', required: true, kind: { type: 'date' } },
  { name: '転入前住所コード', required: false, kind: { type: 'digitsN', length: 11 } },
  { name: '転入前住所', required: false, kind: { type: 'text' } },
  { name: '転出予定年月日', required: false, kind: { type: 'date' } },
  { name: '転出先住所コード', required: false, kind: { type: 'digitsN', length: 11 } },
  { name: '転出先住所', required: false, kind: { type: 'text' } },
  { name: '消除年月日', required: false, kind: { type: 'date' } },
  { name: '消除事由', required: false, kind: { type: 'enum', values: SHOJO_JIYU } },
  { name: '国籍・地域', required: false, kind: { type: 'master', master: 'nationality' } },
  { name: '法30条45区分', required: false, kind: { type: 'enum', values: HO30_45 } },
  { name: '在留資格', required: false, kind: { type: 'master', master: 'zairyu_shikaku' } },
  { name: '在留期間', required: false, kind: { type: 'text' } },
  { name: '在留期間満了日', required: false, kind: { type: 'date' } },
  { name: '在留カード等番号', required: false, kind: { type: 'text' } },
  { name: '支援措置', required: false, kind: { type: 'flag01' } },
];

/** Columns only 異動履歴.csv has. */
export const HISTORY_COLUMNS: readonly ColumnSpec[] = [
  { name: '履歴番号', required: true, kind: { type: 'posint' } },
  { name: '異動事由', required: true, kind: { type: 'master', master: 'ido_jiyu' } },
  { name: '異動事由詳細', required: false, kind: { type: 'text' } },
  { name: '異動日', required: true, kind: { type: 'date' } },
  { name: '処理日', required: true, kind: { type: 'date' } },
  { name: '届出日', required: false, kind: { type: 'date' } },
  { name: '取消対象履歴番号', required: false, kind: { type: 'posint' } },
  { name: '修正対象履歴番号', required: false, kind: { type: 'posint' } },
  { name: '住居地届出区分', required: false, kind: { type: 'enum', values: JUKYOCHI_TODOKEDE } },
];

/** The columns of a file in the spec's (and the header's) order: 宛名番号, then for 異動履歴 its own columns. */
export function columnsOf(file: FileKind): readonly ColumnSpec[] {
  if (file === 'residents') return COMMON_COLUMNS;
  return [COMMON_COLUMNS[0]!, ...HISTORY_COLUMNS, ...COMMON_COLUMNS.slice(1)];
}

/**
 * Column names that must never be accepted (個人番号 / 住民票コード), compared after NFKC folding
 * and removal of spaces, so `個人番号 ` or `ﾏｲﾅﾝﾊﾞｰ` are caught too.
 */
const FORBIDDEN = ['個人番号', 'マイナンバー', '住民票コード', 'MYNUMBER', 'KOJINBANGO', 'KOJIN_BANGO', 'JUMINHYOCODE', 'JUMINHYO_CODE'];

export function isForbiddenColumn(name: string): boolean {
  const folded = name.normalize('NFKC').replace(/[\s_\-・]/g, '').toUpperCase();
  return FORBIDDEN.some((f) => folded.includes(f.replace(/[_]/g, '')));
}

/** Quotes an identifier from this module's constant table for use in generated SQL. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
