// No user text ever becomes SQL: fast-check throws hostile values at every field of a definition
// (SQL fragments, placeholders, quotes, backslashes, NUL, lone surrogates, very long strings, numbers
// out of range, arrays where scalars belong, prototype keys, huge `in` lists). Each one is either
// refused with a Japanese SpecError, or runs with SQL text identical to that of a benign definition
// of the same shape — so no value reached the text — and the store is unchanged afterwards.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { compileSpec } from '../../src/wizard/compile.ts';
import { ITEMS, OPS, type ItemDef } from '../../src/wizard/items.ts';
import { previewSpec } from '../../src/wizard/run.ts';
import { SpecError, parseSpec, type Condition, type ExtractSpec } from '../../src/wizard/spec.ts';
import { EUC_TOWN_PACKAGE } from '../fixtures/euc-town/build.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

let store: Store;
let before: string;

/** What must not change: every table and view with its row count, and the macros. */
async function fingerprint(): Promise<string> {
  const tables = await store.conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name");
  const parts: string[] = [];
  for (const [name] of tables.getRows() as [string][]) {
    const n = await store.conn.runAndReadAll(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`);
    parts.push(`${name}=${n.getRows()[0]![0]}`);
  }
  const views = await store.conn.runAndReadAll("SELECT count(*) FROM duckdb_views() WHERE NOT internal AND NOT temporary");
  const macros = await store.conn.runAndReadAll("SELECT count(*) FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') AND NOT internal AND database_name <> 'temp'");
  return `${parts.join(' ')} views=${views.getRows()[0]![0]} macros=${macros.getRows()[0]![0]}`;
}

beforeAll(async () => {
  const db = path.join(await tempDir('wizard-fuzz'), 'town.duckdb');
  await load(EUC_TOWN_PACKAGE, db);
  // read-write on purpose: an injection would be able to change it
  store = await openStore(db);
  before = await fingerprint();
  expect(before).toMatch(/history=\d+/);
});

afterAll(async () => {
  store?.close();
  await removeTempDirs();
});

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

const HOSTILE_TEXTS = [
  "'; DROP TABLE history; --", "' OR 1=1 --", "'); DELETE FROM loads; --", '$w1', '$w2::VARCHAR', '$kijunbi', '$include_shien', '$from',
  '"', '""', "'", "''", '\\', "\\'", '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', 'x'.repeat(5000), '🙂👨‍👩‍👧', 'ｱｲｳ', '　', '', ' ',
  'NaN', '1e400', '-1', '9999999999', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'snapshot', '2024-02-30',
  '中国', '男', '01391001001', '0139', '年齢', 'equals', ') OR (1=1', '*/ SELECT 1 /*', '; ATTACH \'/tmp/x.db\' AS x; --',
];

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXTS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, -0, Number.MAX_SAFE_INTEGER + 2, 1e308, -1, 151, 0.5, Infinity, Number.NaN),
);

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom({}, [[['deep']]], { toString: 'x' }) },
  { weight: 1, arbitrary: fc.constant(null).map(() => JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('中国', "'; DROP TABLE history; --", 1), { minLength: 101, maxLength: 400 }) },
);

const conditionItems = [...ITEMS.values()].filter((d) => d.ops.length > 0);
const groupItems = [...ITEMS.values()].filter((d) => d.group).map((d) => d.name);

/** A value the item accepts (sometimes one made of hostile text, which a text item accepts too). */
function validValue(def: ItemDef): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'int': return fc.integer({ min: 0, max: 150 });
    case 'date': return fc.constantFrom('2000-01-01', '1868-01-01', 'snapshot', 'lastYearStart', 'next12MonthsEnd', '2999-12-31');
    case 'code': return fc.stringMatching(new RegExp(`^[0-9]{${def.codeLength}}$`));
    case 'choice': return fc.constantFrom(...def.choices!);
    case 'text': return fc.oneof(fc.constantFrom(...HOSTILE_TEXTS.filter((t) => t.trim() !== '' && !/[\u0000-\u001f]/.test(t) && t.length <= 100)), fc.string({ minLength: 1, maxLength: 30 }));
  }
}

const valueFor = (def: ItemDef) => fc.oneof({ weight: 12, arbitrary: validValue(def) }, { weight: 1, arbitrary: hostile });

const validCondition: fc.Arbitrary<unknown> = fc.constantFrom(...conditionItems).chain((def) => fc.constantFrom(...def.ops).chain((op): fc.Arbitrary<unknown> => {
  if (op === 'equals') return fc.record({ item: fc.constant(def.name), op: fc.constant(op), value: valueFor(def) });
  if (op === 'prefix') return fc.record({ item: fc.constant(def.name), op: fc.constant(op), value: fc.oneof(fc.stringMatching(/^[0-9]{1,11}$/), hostile) });
  if (op === 'between') return fc.record({ item: fc.constant(def.name), op: fc.constant(op), values: fc.oneof({ weight: 4, arbitrary: fc.tuple(valueFor(def), valueFor(def)) }, { weight: 1, arbitrary: hostile }) });
  if (op === 'in') return fc.record({ item: fc.constant(def.name), op: fc.constant(op), values: fc.oneof({ weight: 4, arbitrary: fc.array(valueFor(def), { minLength: 1, maxLength: 6 }) }, { weight: 1, arbitrary: hostile }) });
  return fc.record({ item: fc.constant(def.name), op: fc.constant(op) });
}));

const anyCondition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: validCondition },
  { weight: 1, arbitrary: fc.record({ item: fc.oneof(fc.constantFrom(...ITEMS.keys()), hostile), op: fc.oneof(fc.constantFrom(...OPS), hostile), value: hostile, values: hostile }, { requiredKeys: [] }) },
);

const dateRef = fc.oneof({ weight: 12, arbitrary: fc.constantFrom('snapshot', 'lastYearStart', 'lastYearEnd', '2024-06-01', '2024-12-31', '1900-01-01') }, { weight: 1, arbitrary: fc.constant('2030-01-01') }, { weight: 1, arbitrary: hostile });

const anySpec: fc.Arbitrary<unknown> = fc.record({
  format: fc.oneof({ weight: 20, arbitrary: fc.constant('juki-extract/1') }, { weight: 1, arbitrary: hostile }),
  title: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('題名', "'; DROP TABLE history; --", '$w1', 'x'.repeat(100)) }, { weight: 1, arbitrary: hostile }),
  base: fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('residents'), asOf: dateRef }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('changes'), from: dateRef, to: dateRef }) },
    { weight: 1, arbitrary: hostile },
  ),
  conditions: fc.oneof({ weight: 12, arbitrary: fc.array(anyCondition, { maxLength: 4 }) }, { weight: 1, arbitrary: hostile }),
  output: fc.oneof(
    { weight: 9, arbitrary: fc.record({ kind: fc.constant('count'), groupBy: fc.oneof({ weight: 12, arbitrary: fc.subarray(groupItems, { maxLength: 3 }) }, { weight: 1, arbitrary: hostile }) }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'persons' }) },
    { weight: 1, arbitrary: hostile },
  ),
}).chain((s) => fc.oneof(
  { weight: 18, arbitrary: fc.constant(s) },
  { weight: 1, arbitrary: hostile.map((h) => ({ ...s, [typeof h === 'string' ? h : String(JSON.stringify(h))]: h })) },
  { weight: 1, arbitrary: fc.constant(JSON.parse(JSON.stringify({ ...s, __marker: 1 }).replace('"__marker"', '"__proto__"'))) },
));

/** A benign definition of the same shape: same items, operators and number of values, tame values. */
function benign(spec: ExtractSpec): ExtractSpec {
  const tame = (def: ItemDef, op: string): string | number => {
    switch (def.type) {
      case 'int': return 1;
      case 'date': return '2000-01-01';
      case 'code': return op === 'prefix' ? '0' : '0'.repeat(def.codeLength!);
      case 'choice': return def.choices![0]!;
      case 'text': return 'x';
    }
  };
  const conditions = spec.conditions.map((c): Condition => {
    const def = ITEMS.get(c.item)!;
    if (c.op === 'equals' || c.op === 'prefix') return { ...c, value: tame(def, c.op) };
    if (c.op === 'in' || c.op === 'between') return { ...c, values: c.values.map(() => tame(def, c.op)) };
    return c;
  });
  const base = spec.base.kind === 'residents' ? { kind: 'residents' as const, asOf: '2024-06-01' } : { kind: 'changes' as const, from: '2024-01-01', to: '2024-06-30' };
  return parseSpec({ ...spec, title: 'benign', base, conditions });
}

function isAcceptableRefusal(e: unknown): boolean {
  return e instanceof SpecError && JAPANESE.test(e.message);
}

describe('hostile definitions', () => {
  it('are refused with a Japanese SpecError, or run with the SQL text of a benign definition of the same shape', async () => {
    const stats = { refused: 0, ran: 0, refusedAtCompile: 0 };
    await fc.assert(fc.asyncProperty(anySpec, async (json) => {
      let spec: ExtractSpec;
      try {
        spec = parseSpec(json);
      } catch (e) {
        if (!isAcceptableRefusal(e)) throw e;
        stats.refused++;
        return;
      }
      let compiled;
      try {
        compiled = await compileSpec(store.conn, spec, { includeShien: false });
      } catch (e) {
        if (!isAcceptableRefusal(e)) throw e;
        stats.refusedAtCompile++;
        return;
      }
      const tame = await compileSpec(store.conn, benign(spec), { includeShien: false });
      expect(compiled.sql).toBe(tame.sql);
      expect(Object.keys(compiled.params).sort()).toEqual(Object.keys(tame.params).sort());
      for (const [k, v] of Object.entries(compiled.params)) {
        expect(['string', 'number', 'boolean'].includes(typeof v), k).toBe(true);
      }
      const p = await previewSpec(store.conn, compiled, 3);
      expect(p.total).toBeGreaterThanOrEqual(p.rows.length);
      stats.ran++;
    }), { numRuns: 500 });
    // the generator reaches both outcomes often enough to mean something
    expect(stats.refused).toBeGreaterThan(40);
    expect(stats.ran).toBeGreaterThan(40);
    expect(await fingerprint()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hostile text in a text item runs as a value: 0 rows, the store untouched', async () => {
    for (const text of ["'; DROP TABLE history; --", '$w1', "' OR 1=1 --", '\\', '"; DELETE FROM loads; --', '$kijunbi']) {
      const spec = parseSpec({
        format: 'juki-extract/1', title: text, base: { kind: 'residents', asOf: 'snapshot' },
        conditions: [{ item: '在留資格', op: 'in', values: [text, text] }, { item: '地区', op: 'equals', value: text.slice(0, 20) }],
        output: { kind: 'count', groupBy: ['性別'] },
      });
      const compiled = await compileSpec(store.conn, spec, { includeShien: false });
      if (!text.startsWith('$')) expect(compiled.sql).not.toContain(text);
      expect(compiled.sql).toBe((await compileSpec(store.conn, benign(spec), { includeShien: false })).sql);
      expect((await previewSpec(store.conn, compiled, 10)).rows).toEqual([['合計', 0]]);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('refuses prototype keys, unknown items and operators, arrays for scalars, and huge in lists, naming the field in Japanese', () => {
    const base = { format: 'juki-extract/1', title: 't', base: { kind: 'residents', asOf: 'snapshot' }, output: { kind: 'count', groupBy: [] } };
    const refuse = (json: unknown, path: string, message: RegExp) => {
      try {
        parseSpec(json);
      } catch (e) {
        expect(e).toBeInstanceOf(SpecError);
        expect((e as SpecError).path).toBe(path);
        expect((e as SpecError).message).toMatch(message);
        expect((e as SpecError).message).toMatch(JAPANESE);
        return;
      }
      throw new Error(`accepted ${JSON.stringify(json)}`);
    };
    refuse(JSON.parse('{"format":"juki-extract/1","title":"t","base":{"kind":"residents","asOf":"snapshot"},"output":{"kind":"persons"},"__proto__":{"x":1}}'), '', /使えない名前の欄/);
    refuse({ ...base, conditions: [{ item: '__proto__', op: 'equals', value: 1 }] }, 'conditions[0].item', /「__proto__」という項目はありません/);
    refuse({ ...base, conditions: [{ item: 'constructor', op: 'empty' }] }, 'conditions[0].item', /項目はありません/);
    refuse({ ...base, conditions: [{ item: '年齢', op: 'like', value: '%' }] }, 'conditions[0].op', /のどれか/);
    refuse({ ...base, conditions: [{ item: '年齢', op: 'equals', value: [1, 2] }] }, 'conditions[0].value', /文字列か数値/);
    refuse({ ...base, conditions: [{ item: '性別', op: 'in', values: Array(101).fill('男') }] }, 'conditions[0].values', /100 個まで/);
    refuse({ ...base, conditions: [{ item: '年齢', op: 'equals', value: 151 }] }, 'conditions[0].value', /0 以上 150 以下/);
    refuse({ ...base, conditions: [{ item: '在留資格', op: 'equals', value: 'a\u0000b' }] }, 'conditions[0].value', /制御文字/);
    refuse({ ...base, conditions: [{ item: '在留資格', op: 'equals', value: 'x'.repeat(101) }] }, 'conditions[0].value', /100 文字以内/);
    refuse({ ...base, conditions: [{ item: '住所コード', op: 'prefix', value: "01' OR '1" }] }, 'conditions[0].value', /半角数字/);
    refuse({ ...base, output: { kind: 'count', groupBy: ['toString'] } }, 'output.groupBy[0]', /項目はありません/);
  });
});
