// The wizard's closed whitelist of items (euc.md §2): each item's SQL expression over the base row,
// its value type, the operators it allows, the bases that have it, and — for group-by items — the
// label and sort-key expressions. Every SQL text here is fixed in code; user input only ever picks
// an entry by name (a Map lookup, so '__proto__' and friends are simply unknown names).
import { readFileSync } from 'node:fs';
import { queryPath } from '../store/db.ts';

/** How a condition's values are typed: int (年齢), date, free text, digits-only code, or one of fixed choices. */
export type ValueType = 'int' | 'date' | 'text' | 'code' | 'choice';
export type Op = 'equals' | 'in' | 'between' | 'prefix' | 'empty' | 'not_empty';
export type BaseKind = 'residents' | 'changes';

/** Every operator, in the order a form offers them. */
export const OPS: readonly Op[] = ['equals', 'in', 'between', 'prefix', 'empty', 'not_empty'];

/** Japanese names of the operators (forms, the 条件 sheet, error messages). */
export const OP_LABELS: Readonly<Record<Op, string>> = {
  equals: '等しい',
  in: 'いずれか',
  between: '範囲（両端を含む）',
  prefix: '前方一致',
  empty: '空（未設定）',
  not_empty: '空でない',
};

/** Japanese names of the bases. */
export const BASE_LABELS: Readonly<Record<BaseKind, string>> = {
  residents: '住民（基準日現在）',
  changes: '異動（期間内に効力が生じたもの）',
};

/** Most values an `in` condition may list. */
export const MAX_IN_VALUES = 100;

export interface ItemDef {
  /** The item's name (Japanese), also the result column header when grouped by. */
  name: string;
  /** One line for the form. */
  description: string;
  type: ValueType;
  /** Operators allowed in a condition; empty = a group-by-only item. */
  ops: readonly Op[];
  bases: readonly BaseKind[];
  /** For 'choice' items: the allowed values, in their natural order. */
  choices?: readonly string[];
  /** For 'int' items. */
  min?: number;
  max?: number;
  /** For 'code' items: digits of a whole code (equals / in); prefix takes 1…codeLength digits. */
  codeLength?: number;
  /** For 'text' items: longest value (characters). */
  maxLength?: number;
  /** SQL over the `src` row (see compile.ts) that conditions compare; fixed text. */
  expr?: (base: BaseKind) => string;
  /** When the item can be a group-by item: label (text, never NULL) and sort key (NULLs sort last). */
  group?: { label: (base: BaseKind) => string; key: (base: BaseKind) => string };
  /** Extra joins the item needs in `src`. */
  needs?: readonly ('chocho')[];
}

/** SQL string literal of a fixed text from code or a repository master (never user input). */
function lit(text: string): string {
  if (/[\u0000-\u001f]/.test(text)) throw new Error(`items.ts: 制御文字を含む定数です: ${JSON.stringify(text)}`);
  return `'${text.replaceAll("'", "''")}'`;
}

/** `CASE <expr> WHEN 'a' THEN 0 WHEN 'b' THEN 1 … END`: the position of a value in a fixed list. */
function positionOf(expr: string, values: readonly string[]): string {
  return `CASE ${expr} ${values.map((v, i) => `WHEN ${lit(v)} THEN ${i}`).join(' ')} END`;
}

/** 異動事由 names in master order (記載, 消除, 修正), from queries/master/ido_jiyu.csv. */
function idoJiyuNames(): string[] {
  const lines = readFileSync(queryPath('master/ido_jiyu.csv'), 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
  return [...new Set(lines.map((l) => l.split(',')[0]!.trim()))];
}

export const SEXES = ['男', '女'] as const;
export const JUSHU = ['日本人', '外国人'] as const;
/** 法30条45区分 (snapshot-format.md §3), in the order of the law. */
export const KUBUN_30_45 = ['中長期在留者', '特別永住者', '一時庇護許可者', '仮滞在許可者', '出生による経過滞在者', '国籍喪失による経過滞在者'] as const;
export const IDO_JIYU: readonly string[] = idoJiyuNames();

const AGE = '_age';
const ageLabel = `CASE WHEN ${AGE} IS NULL THEN '不詳' ELSE ${AGE} || '歳' END`;
const band5 = `least(${AGE} // 5 * 5, 100)`;
const band5Label = `CASE WHEN ${AGE} IS NULL THEN '不詳' WHEN ${AGE} >= 100 THEN '100歳以上' ELSE ${band5} || '～' || (${band5} + 4) || '歳' END`;
const band3 = `CASE WHEN ${AGE} IS NULL THEN 999 WHEN ${AGE} < 15 THEN 0 WHEN ${AGE} < 65 THEN 15 ELSE 65 END`;
const band3Label = `CASE WHEN ${AGE} IS NULL THEN '不詳' WHEN ${AGE} < 15 THEN '0～14歳' WHEN ${AGE} < 65 THEN '15～64歳' ELSE '65歳以上' END`;

const both: readonly BaseKind[] = ['residents', 'changes'];
const changesOnly: readonly BaseKind[] = ['changes'];
const dateOps: readonly Op[] = ['equals', 'between', 'empty', 'not_empty'];
const textOps: readonly Op[] = ['equals', 'in', 'empty', 'not_empty'];
const choiceOps: readonly Op[] = ['equals', 'in'];
const column = (name: string) => () => `"${name}"`;

const DEFS: ItemDef[] = [
  {
    name: '年齢', type: 'int', min: 0, max: 150, ops: ['equals', 'in', 'between', 'empty', 'not_empty'], bases: both,
    description: '満年齢（住民: 基準日の、異動: 異動日の）。生年月日不詳は「空」',
    expr: () => AGE, group: { label: () => ageLabel, key: () => `coalesce(${AGE}, 999)` },
  },
  {
    name: '年齢5歳階級', type: 'int', ops: [], bases: both, description: '0～4歳 … 100歳以上、不詳（集計の分類だけ）',
    group: { label: () => band5Label, key: () => `CASE WHEN ${AGE} IS NULL THEN 999 ELSE ${band5} END` },
  },
  {
    name: '年齢3区分', type: 'int', ops: [], bases: both, description: '0～14歳・15～64歳・65歳以上、不詳（集計の分類だけ）',
    group: { label: () => band3Label, key: () => band3 },
  },
  {
    name: '性別', type: 'choice', choices: SEXES, ops: choiceOps, bases: both, description: '男・女',
    expr: column('性別'), group: { label: column('性別'), key: () => positionOf('"性別"', SEXES) },
  },
  {
    name: '住民種別', type: 'choice', choices: JUSHU, ops: choiceOps, bases: both, description: '日本人・外国人',
    expr: column('住民種別'), group: { label: column('住民種別'), key: () => positionOf('"住民種別"', JUSHU) },
  },
  {
    name: '住所コード', type: 'code', codeLength: 11, ops: ['equals', 'in', 'prefix'], bases: both,
    description: '11桁（都道府県2＋市区町村3＋大字3＋小字3）。前方一致で市区町村・大字の範囲も指定できます',
    expr: column('住所コード'),
  },
  {
    name: '町丁字', type: 'code', codeLength: 11, ops: ['equals', 'in'], bases: both,
    description: '住所コード（11桁）ごと。集計では町丁字名（住所の表記から導いたもの）を添えます',
    expr: column('住所コード'), needs: ['chocho'],
    group: { label: () => `"住所コード" || ' ' || coalesce(_chocho_name, '（名称不明）')`, key: column('住所コード') },
  },
  {
    name: '地区', type: 'text', maxLength: 20, ops: textOps, bases: both, description: '地区コード。未設定は「空」',
    expr: column('地区コード'),
    group: { label: () => `coalesce(nullif("地区コード", ''), '（未設定）')`, key: () => `nullif("地区コード", '')` },
  },
  {
    name: '国籍・地域', type: 'text', maxLength: 100, ops: textOps, bases: both,
    description: '国籍・地域マスタの名称（ISOコードや別表記も名称に読み替えます）。日本人は「空」',
    expr: () => '_nationality',
    group: {
      label: () => `CASE WHEN "住民種別" = '日本人' THEN '（日本人）' ELSE coalesce(_nationality, '（不明）') END`,
      key: () => `CASE WHEN "住民種別" = '日本人' THEN NULL ELSE _nationality END`,
    },
  },
  {
    name: '在留資格', type: 'text', maxLength: 100, ops: textOps, bases: both, description: '入管法 別表の名称（永住者、技能実習 …）',
    expr: column('在留資格'),
    group: {
      label: () => `CASE WHEN "住民種別" = '日本人' THEN '（日本人）' ELSE coalesce("在留資格", '（' || coalesce("法30条45区分", '在留資格なし') || '）') END`,
      key: column('在留資格'),
    },
  },
  {
    name: '法30条45区分', type: 'choice', choices: KUBUN_30_45, ops: textOps, bases: both, description: '中長期在留者・特別永住者 …（外国人住民のみ）',
    expr: column('法30条45区分'),
    group: {
      label: () => `CASE WHEN "住民種別" = '日本人' THEN '（日本人）' ELSE coalesce("法30条45区分", '（未設定）') END`,
      key: () => positionOf('"法30条45区分"', KUBUN_30_45),
    },
  },
  { name: '在留期間満了日', type: 'date', ops: dateOps, bases: both, description: '日付（YYYY-MM-DD）', expr: column('在留期間満了日') },
  { name: '生年月日', type: 'date', ops: dateOps, bases: both, description: '日付（YYYY-MM-DD）。生年月日不詳は「空」', expr: () => `CASE WHEN "生年月日不詳" THEN NULL ELSE "生年月日" END` },
  { name: '住定日', type: 'date', ops: ['equals', 'between'], bases: both, description: '住所を定めた年月日', expr: column('住定日') },
  {
    name: '異動事由', type: 'choice', choices: IDO_JIYU, ops: choiceOps, bases: changesOnly, description: '標準仕様書 1.2.2 の名称（国内転入、出生 …）',
    expr: column('異動事由'), group: { label: column('異動事由'), key: () => positionOf('"異動事由"', IDO_JIYU) },
  },
  { name: '異動日', type: 'date', ops: ['equals', 'between'], bases: changesOnly, description: '異動が法的に効力を生じた日（転出は予定日）', expr: column('異動日') },
  { name: '届出日', type: 'date', ops: dateOps, bases: changesOnly, description: '届出の日', expr: column('届出日') },
  {
    name: '月', type: 'text', ops: [], bases: changesOnly, description: '効力発生日の年月（集計の分類だけ）',
    group: { label: () => `strftime("eff_date", '%Y-%m')`, key: () => `strftime("eff_date", '%Y-%m')` },
  },
];

for (const d of DEFS) {
  if (d.name.includes('"')) throw new Error(`items.ts: 項目名に " は使えません: ${d.name}`);
  if (d.ops.length > 0 && !d.expr) throw new Error(`items.ts: ${d.name} に条件の式がありません`);
  if (d.ops.length === 0 && !d.group) throw new Error(`items.ts: ${d.name} は条件にも分類にも使えません`);
}

/** The whitelist, keyed by item name. */
export const ITEMS: ReadonlyMap<string, ItemDef> = new Map(DEFS.map((d) => [d.name, d]));

/**
 * An item by name, or undefined (a Map lookup: no prototype keys).
 * @example getItem('年齢')?.ops // ['equals', 'in', 'between', 'empty', 'not_empty']
 * @example getItem('__proto__') // undefined
 */
export function getItem(name: string): ItemDef | undefined {
  return ITEMS.get(name);
}

/** What a form needs to know about the items (JSON-friendly, no SQL). */
export interface ItemInfo {
  name: string;
  description: string;
  type: ValueType;
  ops: Op[];
  bases: BaseKind[];
  groupable: boolean;
  choices?: string[];
  min?: number;
  max?: number;
  codeLength?: number;
  maxLength?: number;
}

/**
 * The items for a form (GET of the wizard's item list), in whitelist order.
 * @example itemCatalogue().find((i) => i.name === '性別') // { name: '性別', type: 'choice', choices: ['男', '女'], ops: ['equals', 'in'], groupable: true, … }
 */
export function itemCatalogue(): ItemInfo[] {
  return DEFS.map((d) => ({
    name: d.name, description: d.description, type: d.type, ops: [...d.ops], bases: [...d.bases], groupable: Boolean(d.group),
    ...(d.choices ? { choices: [...d.choices] } : {}),
    ...(d.min !== undefined ? { min: d.min, max: d.max } : {}),
    ...(d.codeLength !== undefined ? { codeLength: d.codeLength } : {}),
    ...(d.maxLength !== undefined ? { maxLength: d.maxLength } : {}),
  }));
}
