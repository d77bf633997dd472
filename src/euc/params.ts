// Parameters of the standard extracts: default keywords resolved against the latest snapshot, and
// validation of what a user sends (zod) into the values bound to the query. Errors are ParamError
// with a Japanese message naming the parameter, the value and what was expected.
//
// Default keywords (P = the snapshot's processedThrough, S = P + 1 day = the first day not yet
// processed; "as of S" is the current state of the register, snapshot-format.md §8):
//   processedThrough        P
//   snapshot                S — 基準日 default: the state after every processed change
//   snapshotMonthStart      the first day of S's month
//   lastMonthStart/End      the last complete calendar month (the month before S's month)
//   last12MonthsStart/End   the 12 complete months ending with lastMonthEnd
//   lastYearStart/End       the last complete calendar year (year(S) − 1); periodStart/End are aliases
//   lastFiscalYearStart/End the last complete 年度 (April–March) ending on or before P
//   next12MonthsStart/End   12 whole months from the first day of S's month (e.g. 在留期間満了日)
// A period's end keyword is inclusive (a date the user sees); the SQL adds one day for [from, to).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { latestSnapshot } from '../reports/common/provenance.ts';
import { toWareki } from '../util/wareki.ts';
import type { ExtractDef, ParamDef, ParamValue } from './types.ts';

/** A parameter value the user sent is not acceptable. `param` is the parameter name, `label` its Japanese label. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  readonly param: string;
  readonly label: string;
  readonly value: unknown;
  readonly expected: string;

  constructor(p: { param: string; label?: string; value: unknown; expected: string }) {
    const label = p.label ?? p.param;
    super(`「${label}」の値 ${show(p.value)} は使えません: ${p.expected}`);
    this.param = p.param;
    this.label = label;
    this.value = p.value;
    this.expected = p.expected;
  }
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '（空）';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `「${text.length > 40 ? `${text.slice(0, 40)}…` : text}」`;
}

// ---------------------------------------------------------------------------------------------
// Dates

/**
 * Whether a text is a real calendar date written 'YYYY-MM-DD'.
 * @example isIsoDate('2024-02-29') // true
 * @example isIsoDate('2023-02-29') // false
 */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (s: string) => new Date(`${s}T00:00:00Z`);

/**
 * A date plus some days.
 * @example addDays('2024-12-31', 1) // '2025-01-01'
 */
export function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

type KeywordFn = (processedThrough: string) => string;

/** The default keywords and how each is computed from processedThrough (see the header). */
export const DATE_KEYWORDS: Record<string, KeywordFn> = {
  processedThrough: (p) => p,
  snapshot: (p) => addDays(p, 1),
  snapshotMonthStart: (p) => {
    const s = parse(addDays(p, 1));
    return iso(utc(s.getUTCFullYear(), s.getUTCMonth(), 1));
  },
  lastMonthStart: (p) => {
    const s = parse(addDays(p, 1));
    return iso(utc(s.getUTCFullYear(), s.getUTCMonth() - 1, 1));
  },
  lastMonthEnd: (p) => {
    const s = parse(addDays(p, 1));
    return iso(utc(s.getUTCFullYear(), s.getUTCMonth(), 0));
  },
  last12MonthsStart: (p) => {
    const s = parse(addDays(p, 1));
    return iso(utc(s.getUTCFullYear(), s.getUTCMonth() - 12, 1));
  },
  last12MonthsEnd: (p) => DATE_KEYWORDS.lastMonthEnd!(p),
  lastYearStart: (p) => `${parse(addDays(p, 1)).getUTCFullYear() - 1}-01-01`,
  lastYearEnd: (p) => `${parse(addDays(p, 1)).getUTCFullYear() - 1}-12-31`,
  periodStart: (p) => DATE_KEYWORDS.lastYearStart!(p),
  periodEnd: (p) => DATE_KEYWORDS.lastYearEnd!(p),
  lastFiscalYearEnd: (p) => {
    const y = Number(p.slice(0, 4));
    return p >= `${y}-03-31` ? `${y}-03-31` : `${y - 1}-03-31`;
  },
  lastFiscalYearStart: (p) => `${Number(DATE_KEYWORDS.lastFiscalYearEnd!(p).slice(0, 4)) - 1}-04-01`,
  next12MonthsStart: (p) => DATE_KEYWORDS.snapshotMonthStart!(p),
  next12MonthsEnd: (p) => {
    const s = parse(addDays(p, 1));
    return iso(utc(s.getUTCFullYear(), s.getUTCMonth() + 12, 0));
  },
};

/**
 * Whether a text is one of the default keywords (own keys only: 'toString' is not one).
 * @example isDateKeyword('snapshot') // true
 */
export function isDateKeyword(s: string): boolean {
  return Object.hasOwn(DATE_KEYWORDS, s);
}

/**
 * A date or keyword → the date. Throws on an unknown keyword.
 * @example resolveDate('lastYearStart', '2024-12-31') // '2024-01-01'
 * @example resolveDate('snapshot', '2024-12-31')      // '2025-01-01'
 */
export function resolveDate(dateOrKeyword: string, processedThrough: string): string {
  if (isIsoDate(dateOrKeyword)) return dateOrKeyword;
  const fn = isDateKeyword(dateOrKeyword) ? DATE_KEYWORDS[dateOrKeyword] : undefined;
  if (!fn) throw new Error(`日付の既定値のキーワード ${dateOrKeyword} はありません`);
  return fn(processedThrough);
}

// ---------------------------------------------------------------------------------------------
// Defaults and validation

const KEYWORD_NAMES: Record<string, string> = {
  processedThrough: 'スナップショットの処理済み日',
  snapshot: 'スナップショットの基準日（処理済み日の翌日）',
};

function describeBound(bound: string, processedThrough: string): string {
  const date = resolveDate(bound, processedThrough);
  return KEYWORD_NAMES[bound] ? `${KEYWORD_NAMES[bound]} ${date}` : date;
}

/**
 * Each parameter's default with keywords resolved (for forms and the extract list). A parameter
 * without a default (e.g. 無作為抽出 の シード) is missing from the result.
 * @example resolvedDefaults(def, '2024-12-31') // { kijunbi: '2025-01-01' }
 */
export function resolvedDefaults(def: ExtractDef, processedThrough: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of def.params) {
    if (p.default === undefined) continue;
    out[p.name] = p.type === 'date' ? resolveDate(p.default, processedThrough) : p.default;
  }
  return out;
}

/**
 * The parameter definitions with every date keyword (default, min, max) resolved to a date, for a
 * form or the extract list (GET /api/euc).
 * @example paramsForForm(getExtract('07')!, '2024-12-31')[1] // { name: 'to', …, default: '2024-12-31', max: '2024-12-31', notBefore: 'from' }
 */
export function paramsForForm(def: ExtractDef, processedThrough: string): ParamDef[] {
  return def.params.map((p) => {
    if (p.type !== 'date') return { ...p };
    const out = { ...p };
    for (const k of ['default', 'min', 'max'] as const) if (p[k] !== undefined) out[k] = resolveDate(p[k], processedThrough);
    return out;
  });
}

const intText = z.string().trim().regex(/^[+-]?\d+$/).transform(Number);
const intSchema = z.union([z.number().int(), intText]);
const flagSchema = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]);

function validateOne(p: ParamDef, raw: unknown, processedThrough: string): ParamValue {
  const fail = (expected: string): never => {
    throw new ParamError({ param: p.name, label: p.label, value: raw, expected });
  };
  // Absent (or, except for text, empty) → the default; an empty text is a value ('' = no condition).
  if (raw === undefined || raw === null || (raw === '' && p.type !== 'text')) {
    if (p.default === undefined) fail('指定してください');
    return p.type === 'date' ? resolveDate(p.default as string, processedThrough) : (p.default as ParamValue);
  }
  switch (p.type) {
    case 'date': {
      if (typeof raw !== 'string') return fail('YYYY-MM-DD の形の日付を指定してください');
      const value = isDateKeyword(raw.trim()) ? resolveDate(raw.trim(), processedThrough) : raw.trim();
      if (!isIsoDate(value)) return fail('YYYY-MM-DD の形の、暦にある日付を指定してください');
      if (p.min !== undefined && value < resolveDate(p.min, processedThrough)) fail(`${describeBound(p.min, processedThrough)} 以降の日付を指定してください`);
      if (p.max !== undefined && value > resolveDate(p.max, processedThrough)) fail(`${describeBound(p.max, processedThrough)} 以前の日付を指定してください`);
      if (value < '1868-01-01' || value > '2999-12-31') fail('1868-01-01 から 2999-12-31 までの日付を指定してください');
      return value;
    }
    case 'int': {
      const r = intSchema.safeParse(raw);
      if (!r.success || !Number.isSafeInteger(r.data)) return fail('整数を指定してください');
      if (r.data < p.min || r.data > p.max) fail(`${p.min} 以上 ${p.max} 以下の整数を指定してください`);
      return r.data;
    }
    case 'text': {
      if (typeof raw !== 'string') return fail('文字列を指定してください');
      const value = raw.trim();
      if (value === '') {
        if (!p.optional) fail('指定してください');
        return '';
      }
      const max = p.maxLength ?? 100;
      if ([...value].length > max) fail(`${max} 文字以内で指定してください`);
      if (/[\u0000-\u001f\u007f]/.test(value)) fail('制御文字は使えません');
      if (p.pattern !== undefined && !new RegExp(`^(?:${p.pattern})$`).test(value)) fail(p.patternLabel ?? `形式 ${p.pattern} に合う値を指定してください`);
      return value;
    }
    case 'choice': {
      if (typeof raw !== 'string' || !p.choices.includes(raw)) return fail(`${p.choices.join('・')} のどれかを指定してください`);
      return raw;
    }
    case 'flag': {
      const r = flagSchema.safeParse(raw);
      if (!r.success) return fail('true か false を指定してください');
      return r.data;
    }
  }
}

/** How a value is shown on the conditions sheet and in the preview. */
function shownValue(p: ParamDef, v: ParamValue): string {
  if (p.type === 'date') return `${v}（${toWareki(v as string)}）`;
  if (p.type === 'text' && v === '') return '（指定なし）';
  if (p.type === 'flag') return v ? 'はい' : 'いいえ';
  return String(v);
}

/**
 * Validates raw parameters (from a form or JSON) against an extract's definition, filling defaults.
 * Pure: the snapshot's processedThrough is given. Throws ParamError.
 * @example validateParams(getExtract('01')!, {}, '2024-12-31').values // { kijunbi: '2025-01-01' }
 */
export function validateParams(def: ExtractDef, raw: Record<string, unknown>, processedThrough: string): { values: Record<string, ParamValue>; shown: Record<string, string> } {
  for (const [name, value] of Object.entries(raw)) {
    if (!def.params.some((p) => p.name === name)) {
      throw new ParamError({ param: name, value, expected: `「${def.title}」にこのパラメータはありません（使えるのは ${def.params.map((p) => p.name).join(', ') || 'なし'}）` });
    }
  }
  const values: Record<string, ParamValue> = {};
  for (const p of def.params) values[p.name] = validateOne(p, raw[p.name], processedThrough);
  for (const p of def.params) {
    if (p.type !== 'date' || p.notBefore === undefined) continue;
    const other = def.params.find((q) => q.name === p.notBefore)!;
    if ((values[p.name] as string) < (values[other.name] as string)) {
      throw new ParamError({ param: p.name, label: p.label, value: values[p.name], expected: `「${other.label}」（${values[other.name]}）以降の日付を指定してください` });
    }
  }
  const ageFrom = def.params.find((p) => p.name === 'age_from');
  const ageTo = def.params.find((p) => p.name === 'age_to');
  if (ageFrom && ageTo && (values.age_to as number) < (values.age_from as number)) {
    throw new ParamError({ param: 'age_to', label: ageTo.label, value: values.age_to, expected: `「${ageFrom.label}」（${values.age_from}）以上を指定してください` });
  }
  const shown: Record<string, string> = {};
  for (const p of def.params) shown[p.label] = shownValue(p, values[p.name]!);
  return { values, shown };
}

/**
 * Resolves an extract's parameters against the store's latest snapshot: defaults filled (keywords
 * resolved), each value validated, unknown parameters refused. `shown` maps labels to display
 * values for the conditions sheet.
 * @example
 * const { values, shown } = await resolveParams(conn, getExtract('07')!, { from: '2024-01-01' });
 * // values = { from: '2024-01-01', to: '2024-12-31' }, shown = { '期間（から）': '2024-01-01（令和6年1月1日）', … }
 */
export async function resolveParams(conn: DuckDBConnection, def: ExtractDef, raw: Record<string, unknown>): Promise<{ values: Record<string, DuckDBValue>; shown: Record<string, string> }> {
  const snap = await latestSnapshot(conn);
  return validateParams(def, raw, snap.processedThrough);
}
