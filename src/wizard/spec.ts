// The wizard's definition format ("juki-extract/1", the same JSON for the web wizard, the CLI, saved
// extracts and export/import): its zod schema with Japanese messages naming the field, the checks
// against the item whitelist (items.ts), normalisation (trimmed texts, integers as numbers), the
// canonical hash a run records, and date overrides for re-running a definition with new dates.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/chain.ts';
import { isDateKeyword, isIsoDate } from '../euc/params.ts';
import { BASE_LABELS, ITEMS, MAX_IN_VALUES, OP_LABELS, OPS, getItem, type BaseKind, type ItemDef, type Op } from './items.ts';

export const SPEC_FORMAT = 'juki-extract/1';
/** Most conditions a definition may have. */
export const MAX_CONDITIONS = 20;
/** Most group-by items of a count. */
export const MAX_GROUP_BY = 3;
/** Longest title / name (characters). */
export const MAX_TITLE = 100;

export type ConditionValue = string | number;
export type Condition =
  | { item: string; op: 'equals' | 'prefix'; value: ConditionValue }
  | { item: string; op: 'in' | 'between'; values: ConditionValue[] }
  | { item: string; op: 'empty' | 'not_empty' };
/** A date 'YYYY-MM-DD' or a default keyword of src/euc/params.ts (resolved when compiled). */
export type DateRef = string;
export type SpecBase = { kind: 'residents'; asOf: DateRef } | { kind: 'changes'; from: DateRef; to: DateRef };
export type SpecOutput = { kind: 'count'; groupBy: string[] } | { kind: 'persons' };

export interface ExtractSpec {
  format: typeof SPEC_FORMAT;
  title: string;
  /** Only in exported files: the saved extract's name. */
  name?: string;
  base: SpecBase;
  conditions: Condition[];
  output: SpecOutput;
}

/** A definition that is not acceptable: `path` is the JSON path ('conditions[0].values[1]'), the message is Japanese. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly path: string;

  constructor(path: (string | number)[] | string, message: string) {
    const p = typeof path === 'string' ? path : jsonPath(path);
    super(p ? `${fieldLabel(typeof path === 'string' ? [] : path) || p}（${p}）: ${message}` : message);
    this.path = p;
  }
}

/** 'conditions[0].values[1]' from ['conditions', 0, 'values', 1]. */
function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${safeText(String(k), 40)}`;
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  format: '形式', title: '題名', name: '名前', base: '対象', kind: '種類', asOf: '基準日', from: '期間（から）', to: '期間（まで）',
  conditions: '条件', item: '項目', op: '演算', value: '値', values: '値', output: '出力', groupBy: '集計の分類',
};

/** The Japanese name of a field path: ['conditions', 0, 'values', 1] → '条件1 の値（2番目）'. */
function fieldLabel(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    const next = path[i + 1];
    if (k === 'conditions' && typeof next === 'number') {
      parts.push(`条件${next + 1}`);
      i++;
    } else if (k === 'groupBy' && typeof next === 'number') {
      parts.push(`集計の分類${next + 1}`);
      i++;
    } else if (typeof k === 'number') parts.push(`（${k + 1}番目）`);
    else if (typeof k === 'string' && Object.hasOwn(FIELD_NAMES, k)) parts.push(FIELD_NAMES[k]!);
  }
  return parts.join(' の ').replace(/ の （/g, '（');
}

/** A user's text for a message: control characters replaced, at most `max` characters. */
function safeText(text: string, max = 30): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean;
}

const TYPE_NAMES: Record<string, string> = { string: '文字列', number: '数値', object: 'オブジェクト', array: '配列', boolean: '真偽値' };

/** Japanese text of a zod issue (shape errors). */
function ja(iss: { code?: string; input?: unknown; [k: string]: unknown }): string {
  const i = iss as Record<string, unknown>;
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? '指定してください' : `${TYPE_NAMES[String(i.expected)] ?? String(i.expected)}で指定してください`;
    case 'too_big':
      return i.origin === 'string' ? `${i.maximum} 文字以内にしてください` : i.origin === 'array' ? `${i.maximum} 個までにしてください` : `${i.maximum} 以下にしてください`;
    case 'too_small':
      return i.origin === 'string' ? '空にはできません' : i.origin === 'array' ? `${i.minimum} 個以上指定してください` : `${i.minimum} 以上にしてください`;
    case 'unrecognized_keys':
      return `使えない名前の欄があります: ${((i.keys as string[]) ?? []).slice(0, 5).map((k) => `「${safeText(k)}」`).join('、')}`;
    case 'invalid_union':
      return i.note === 'No matching discriminator'
        ? `${((i.options as unknown[]) ?? []).map((o) => String(o)).join('・')} のどれかを指定してください`
        : '文字列か数値で指定してください';
    case 'invalid_value':
      return `${((i.values as unknown[]) ?? []).map((v) => String(v)).join('・')} を指定してください`;
    default:
      return '値が正しくありません';
  }
}

const E = { error: ja };
const scalar = z.union([z.string(E), z.number(E)], E);
const dateRef = z.string(E).max(40, E);
const itemName = z.string(E).max(50, E);

const ConditionShape = z.discriminatedUnion('op', [
  z.strictObject({ item: itemName, op: z.enum(['equals', 'prefix'], E), value: scalar }, E),
  z.strictObject({ item: itemName, op: z.enum(['in', 'between'], E), values: z.array(scalar, E).min(1, E).max(MAX_IN_VALUES, E) }, E),
  z.strictObject({ item: itemName, op: z.enum(['empty', 'not_empty'], E) }, E),
], E);

const SpecShape = z.strictObject({
  format: z.literal(SPEC_FORMAT, E),
  title: z.string(E).trim().min(1, E).max(MAX_TITLE, E),
  name: z.string(E).trim().min(1, E).max(MAX_TITLE, E).optional(),
  base: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('residents', E), asOf: dateRef }, E),
    z.strictObject({ kind: z.literal('changes', E), from: dateRef, to: dateRef }, E),
  ], E),
  conditions: z.array(ConditionShape, E).max(MAX_CONDITIONS, E).default([]),
  output: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('count', E), groupBy: z.array(itemName, E).max(MAX_GROUP_BY, E).default([]) }, E),
    z.strictObject({ kind: z.literal('persons', E) }, E),
  ], E),
}, E);

type Issue = { path: (string | number)[]; message: string };

/** Control characters, and UTF-16 halves without their partner (not valid text). */
const BAD_TEXT = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(label: string, value: string, path: (string | number)[], issues: Issue[]): void {
  if (BAD_TEXT.test(value)) issues.push({ path, message: `${label}に制御文字や壊れた文字は使えません` });
}

function checkDateRef(value: string, path: (string | number)[], issues: Issue[]): void {
  const v = value.trim();
  if (!isIsoDate(v) && !isDateKeyword(v)) issues.push({ path, message: `「${safeText(value)}」は YYYY-MM-DD の暦にある日付でも、既定値のキーワード（snapshot、lastYearStart など）でもありません` });
  else if (isIsoDate(v) && (v < '1868-01-01' || v > '2999-12-31')) issues.push({ path, message: '1868-01-01 から 2999-12-31 までの日付を指定してください' });
}

/** One value of a condition against the item's type; issues pushed, the normalised value returned. */
function checkValue(item: ItemDef, op: Op, raw: ConditionValue, path: (string | number)[], issues: Issue[]): ConditionValue {
  const bad = (message: string) => {
    issues.push({ path, message });
    return raw;
  };
  switch (item.type) {
    case 'int': {
      const n = typeof raw === 'number' ? raw : /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) return bad(`「${item.name}」は整数で指定してください`);
      if (n < (item.min ?? 0) || n > (item.max ?? 0)) return bad(`「${item.name}」は ${item.min} 以上 ${item.max} 以下です`);
      return n;
    }
    case 'date': {
      if (typeof raw !== 'string') return bad(`「${item.name}」は YYYY-MM-DD の文字列で指定してください`);
      const before = issues.length;
      checkDateRef(raw, path, issues);
      return issues.length > before ? raw : raw.trim();
    }
    case 'code': {
      const text = typeof raw === 'number' ? String(raw) : raw.trim();
      const len = item.codeLength ?? 11;
      if (!/^[0-9]+$/.test(text)) return bad(`「${item.name}」は半角数字だけで指定してください`);
      if (op === 'prefix' ? text.length > len : text.length !== len) return bad(`「${item.name}」は${op === 'prefix' ? ` ${len} 桁以内` : ` ${len} 桁`}の数字です`);
      return text;
    }
    case 'choice': {
      const text = typeof raw === 'string' ? raw.trim() : String(raw);
      if (!item.choices!.includes(text)) {
        const list = item.choices!.length > 12 ? `${item.choices!.slice(0, 12).join('・')} …` : item.choices!.join('・');
        return bad(`「${item.name}」に「${safeText(text)}」はありません（${list}）`);
      }
      return text;
    }
    case 'text': {
      if (typeof raw !== 'string') return bad(`「${item.name}」は文字列で指定してください`);
      const text = raw.trim();
      if (text === '') return bad(`「${item.name}」の値が空です（未設定を探すときは演算「${OP_LABELS.empty}」を使ってください）`);
      if ([...text].length > (item.maxLength ?? 100)) return bad(`「${item.name}」は ${item.maxLength ?? 100} 文字以内です`);
      checkText(`「${item.name}」`, text, path, issues);
      return text;
    }
  }
}

/** The checks beyond the shape: items, operators and values against the whitelist; returns the normalised spec. */
function checkSemantics(spec: ExtractSpec, issues: Issue[]): ExtractSpec {
  checkText('題名', spec.title, ['title'], issues);
  if (spec.name !== undefined) checkText('名前', spec.name, ['name'], issues);
  const base: BaseKind = spec.base.kind;
  if (spec.base.kind === 'residents') checkDateRef(spec.base.asOf, ['base', 'asOf'], issues);
  else {
    checkDateRef(spec.base.from, ['base', 'from'], issues);
    checkDateRef(spec.base.to, ['base', 'to'], issues);
  }
  const names = () => [...ITEMS.values()].filter((d) => d.bases.includes(base)).map((d) => d.name).join('、');
  const conditions: Condition[] = spec.conditions.map((c, i) => {
    const at = ['conditions', i];
    const item = getItem(c.item);
    if (!item) {
      issues.push({ path: [...at, 'item'], message: `「${safeText(c.item)}」という項目はありません（使える項目: ${names()}）` });
      return c;
    }
    if (!item.bases.includes(base)) {
      issues.push({ path: [...at, 'item'], message: `「${item.name}」は対象が${BASE_LABELS[item.bases[0]!]}のときだけ使えます` });
      return c;
    }
    if (!item.ops.includes(c.op)) {
      issues.push({
        path: [...at, 'op'],
        message: item.ops.length === 0
          ? `「${item.name}」は集計の分類だけに使えます（条件には使えません）`
          : `「${item.name}」に演算「${OP_LABELS[c.op]}」は使えません（使えるのは ${item.ops.map((o) => OP_LABELS[o]).join('・')}）`,
      });
      return c;
    }
    if (c.op === 'equals' || c.op === 'prefix') return { ...c, value: checkValue(item, c.op, c.value, [...at, 'value'], issues) };
    if (c.op === 'in' || c.op === 'between') {
      if (c.op === 'between' && c.values.length !== 2) {
        issues.push({ path: [...at, 'values'], message: '範囲は [から, まで] の 2 つの値で指定してください' });
        return c;
      }
      const before = issues.length;
      const values = c.values.map((v, j) => checkValue(item, c.op, v, [...at, 'values', j], issues));
      if (c.op === 'between' && issues.length === before) {
        const [a, b] = values as [ConditionValue, ConditionValue];
        if (item.type === 'int' && (a as number) > (b as number)) issues.push({ path: [...at, 'values'], message: `範囲の「から」（${a}）が「まで」（${b}）より大きくなっています` });
        if (item.type === 'date' && isIsoDate(String(a)) && isIsoDate(String(b)) && String(a) > String(b)) {
          issues.push({ path: [...at, 'values'], message: `範囲の「から」（${a}）が「まで」（${b}）より後になっています` });
        }
      }
      return { ...c, values };
    }
    return c;
  });
  if (spec.output.kind === 'count') {
    const seen = new Set<string>();
    spec.output.groupBy.forEach((g, i) => {
      const at = ['output', 'groupBy', i];
      const item = getItem(g);
      if (!item) issues.push({ path: at, message: `「${safeText(g)}」という項目はありません` });
      else if (!item.group) issues.push({ path: at, message: `「${item.name}」は集計の分類には使えません（条件に使ってください）` });
      else if (!item.bases.includes(base)) issues.push({ path: at, message: `「${item.name}」は対象が${BASE_LABELS[item.bases[0]!]}のときだけ使えます` });
      else if (seen.has(g)) issues.push({ path: at, message: `「${item.name}」が 2 回指定されています` });
      seen.add(g);
    });
  }
  const out: ExtractSpec = { format: SPEC_FORMAT, title: spec.title, base: trimBase(spec.base), conditions, output: spec.output };
  if (spec.name !== undefined) out.name = spec.name;
  return out;
}

function trimBase(base: SpecBase): SpecBase {
  return base.kind === 'residents' ? { kind: 'residents', asOf: base.asOf.trim() } : { kind: 'changes', from: base.from.trim(), to: base.to.trim() };
}

/**
 * The zod schema of a definition: the shape, then the item whitelist checks (every message Japanese,
 * naming the field). Use parseSpec to get the normalised definition or a SpecError.
 */
export const ExtractSpecSchema: z.ZodType<ExtractSpec, unknown> = SpecShape.superRefine((spec, ctx) => {
  const issues: Issue[] = [];
  checkSemantics(spec as ExtractSpec, issues);
  for (const i of issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
}) as unknown as z.ZodType<ExtractSpec, unknown>;

/**
 * Validates a definition (parsed JSON) and returns it normalised (texts trimmed, 年齢 as numbers,
 * codes as digit strings). Throws SpecError for the first problem, with its path and a Japanese message.
 * @example
 * const spec = parseSpec({ format: 'juki-extract/1', title: '65歳以上', base: { kind: 'residents', asOf: 'snapshot' },
 *   conditions: [{ item: '年齢', op: 'between', values: [65, 130] }], output: { kind: 'count', groupBy: ['地区', '性別'] } });
 * @example parseSpec({ format: 'juki-extract/1' }) // throws SpecError: 題名（title）: 指定してください
 */
export function parseSpec(json: unknown): ExtractSpec {
  const shape = SpecShape.safeParse(json);
  if (!shape.success) {
    const first = shape.error.issues[0]!;
    throw new SpecError(first.path as (string | number)[], first.message);
  }
  const issues: Issue[] = [];
  const spec = checkSemantics(shape.data as ExtractSpec, issues);
  if (issues.length > 0) throw new SpecError(issues[0]!.path, issues[0]!.message);
  return spec;
}

/**
 * Parses the text of a definition file (JSON, at most 1 MB). Throws SpecError.
 * @example parseSpecJson(readFileSync('65歳以上.json', 'utf8'))
 */
export function parseSpecJson(text: string): ExtractSpec {
  if (text.length > 1_000_000) throw new SpecError([], '定義ファイルが大きすぎます（1 MB まで）');
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SpecError([], `JSON として読めません: ${safeText((e as Error).message, 120)}`);
  }
  return parseSpec(json);
}

/**
 * sha256 (hex) of the canonical JSON of a definition without its `name`: what a run records as
 * "the definition it used" (the same definition always gives the same hash).
 * @example specHash(spec) // '3f2a…' (64 hex digits)
 */
export function specHash(spec: ExtractSpec): string {
  const { name: _name, ...rest } = spec;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export interface DateOverrides {
  asOf?: string;
  from?: string;
  to?: string;
}

/**
 * The definition with new base dates (re-running a saved extract: CLI --as-of / --from / --to, or the
 * web form). Dates or keywords; an override that the base does not have is refused.
 * @example withDates(spec, { asOf: '2024-04-01' }).base // { kind: 'residents', asOf: '2024-04-01' }
 * @example withDates(spec, { from: '2024-01-01' }) // SpecError when the base is residents
 */
export function withDates(spec: ExtractSpec, o: DateOverrides): ExtractSpec {
  const given = (v: string | undefined): v is string => v !== undefined && v !== '';
  if (spec.base.kind === 'residents') {
    if (given(o.from) || given(o.to)) throw new SpecError(['base'], '対象が住民（基準日現在）の定義に期間（から・まで）は指定できません。基準日を指定してください');
    if (!given(o.asOf)) return spec;
    const issues: Issue[] = [];
    checkDateRef(o.asOf, ['base', 'asOf'], issues);
    if (issues.length > 0) throw new SpecError(issues[0]!.path, issues[0]!.message);
    return { ...spec, base: { kind: 'residents', asOf: o.asOf.trim() } };
  }
  if (given(o.asOf)) throw new SpecError(['base'], '対象が異動（期間）の定義に基準日は指定できません。期間（から・まで）を指定してください');
  const base = { ...spec.base };
  for (const k of ['from', 'to'] as const) {
    const v = o[k];
    if (!given(v)) continue;
    const issues: Issue[] = [];
    checkDateRef(v, ['base', k], issues);
    if (issues.length > 0) throw new SpecError(issues[0]!.path, issues[0]!.message);
    base[k] = v.trim();
  }
  return { ...spec, base };
}

/** Every operator name (for a form's select). */
export const OPERATORS: readonly { op: Op; label: string }[] = OPS.map((op) => ({ op, label: OP_LABELS[op] }));
