// The wizard engine on しらべ町 (tests/fixtures/euc-town): counts equal the README's hand tallies and
// the standard extracts (01 totals, 03 地区, 04 国籍・地域, 02 5歳階級, 07 異動事由), totals come from
// GROUPING SETS labelled 合計 in the items' natural order, person lists follow extract 10 (支援措置
// left out unless allowed), and streaming and files give the same rows as the preview. Also runs
// every item and operator on みほん町.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getExtract } from '../../src/euc/catalogue.ts';
import { resolveParams } from '../../src/euc/params.ts';
import { previewExtract } from '../../src/euc/run.ts';
import type { CellValue } from '../../src/export/types.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { compileSpec, type CompiledSpec } from '../../src/wizard/compile.ts';
import { ITEMS } from '../../src/wizard/items.ts';
import { countSpec, previewSpec, publishShapeOf, publishSpec, streamSpec, writeSpecFile } from '../../src/wizard/run.ts';
import { SpecError, parseSpec, type Condition, type ExtractSpec } from '../../src/wizard/spec.ts';
import { EUC_TOWN_PACKAGE } from '../fixtures/euc-town/build.ts';
import { mihonDir, removeTempDirs, tempDir } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

let store: Store;
let mihon: Store;
let out: string;

beforeAll(async () => {
  const dir = await tempDir('wizard-engine');
  out = dir;
  await load(EUC_TOWN_PACKAGE, path.join(dir, 'town.duckdb'));
  await load(mihonDir('UTF-8'), path.join(dir, 'mihon.duckdb'));
  store = await openStore(path.join(dir, 'town.duckdb'), { readOnly: true });
  mihon = await openStore(path.join(dir, 'mihon.duckdb'), { readOnly: true });
});

afterAll(async () => {
  store?.close();
  mihon?.close();
  await removeTempDirs();
});

type Json = Record<string, unknown>;

function spec(base: Json, conditions: Json[], output: Json): ExtractSpec {
  return parseSpec({ format: 'juki-extract/1', title: 'テスト', base, conditions, output });
}
const residents = (asOf = 'snapshot') => ({ kind: 'residents', asOf });
const changes = (from = 'lastYearStart', to = 'lastYearEnd') => ({ kind: 'changes', from, to });
const count = (...groupBy: string[]) => ({ kind: 'count', groupBy });

/** Compiles and previews every row; rows as arrays. */
async function rows(s: ExtractSpec, opts: { includeShien?: boolean; on?: Store } = {}): Promise<{ rows: CellValue[][]; columns: string[]; compiled: CompiledSpec; total: number; persons?: number }> {
  const conn = (opts.on ?? store).conn;
  const compiled = await compileSpec(conn, s, { includeShien: opts.includeShien ?? false });
  const p = await previewSpec(conn, compiled, 100_000);
  expect(p.rows.length).toBe(p.total);
  return { rows: p.rows, columns: p.columns.map((c) => c.name), compiled, total: p.total, ...(p.persons !== undefined ? { persons: p.persons } : {}) };
}

/** A standard extract's rows as objects. */
async function extract(id: string, raw: Record<string, unknown> = {}): Promise<Record<string, CellValue>[]> {
  const def = getExtract(id)!;
  const { values } = await resolveParams(store.conn, def, raw);
  const p = await previewExtract(store.conn, def, values, { includeShien: false, rows: 10_000 });
  return p.rows.map((r) => Object.fromEntries(def.columns.map((c, i) => [c.name, r[i]!])));
}

describe('counts with totals (GROUPING SETS, 合計 last, natural order)', () => {
  it('residents by 性別 = extract 01 totals (男 12, 女 11, 合計 23)', async () => {
    const r = await rows(spec(residents(), [], count('性別')));
    expect(r.columns).toEqual(['性別', '人数']);
    expect(r.rows).toEqual([['男', 12], ['女', 11], ['合計', 23]]);
    const t01 = (await extract('01')).find((x) => x.町丁字名 === '合計')!;
    expect([t01.男, t01.女, t01.総数]).toEqual([12, 11, 23]);
    expect(r.compiled.sql).toMatch(/GROUP BY CUBE/);
  });

  it('地区 × 性別 = extract 03 (（未設定） after the codes), with each item\'s subtotals and the grand total', async () => {
    const r = await rows(spec(residents(), [], count('地区', '性別')));
    expect(r.rows).toEqual([
      ['01', '男', 6], ['01', '女', 6], ['01', '合計', 12],
      ['02', '男', 6], ['02', '女', 4], ['02', '合計', 10],
      ['（未設定）', '女', 1], ['（未設定）', '合計', 1],
      ['合計', '男', 12], ['合計', '女', 11], ['合計', '合計', 23],
    ]);
    const t03 = await extract('03');
    for (const x of t03) {
      const [m, f, all] = [x.男, x.女, x.総数];
      const code = x.地区コード as string;
      const find = (sex: string) => r.rows.find((row) => row[0] === code && row[1] === sex)?.[2] ?? 0;
      expect([find('男'), find('女'), find('合計')], code).toEqual([m, f, all]);
    }
  });

  it('foreigners by 国籍・地域 = extract 04 (master names, codes ascending, 合計 6)', async () => {
    const r = await rows(spec(residents(), [{ item: '住民種別', op: 'equals', value: '外国人' }], count('国籍・地域')));
    expect(r.rows).toEqual([['フィリピン', 1], ['ベトナム', 2], ['中国', 2], ['韓国', 1], ['合計', 6]]);
    const by04 = new Map<string, number>();
    for (const x of await extract('04')) by04.set(x['国籍・地域'] as string, (by04.get(x['国籍・地域'] as string) ?? 0) + (x.人数 as number));
    expect(Object.fromEntries(r.rows.filter((x) => x[0] !== '合計'))).toEqual(Object.fromEntries(by04));
  });

  it('国籍・地域 conditions accept ISO codes and other spellings (normalised through the master, as extract 04)', async () => {
    const r = await rows(spec(residents(), [{ item: '国籍・地域', op: 'in', values: ['CN', 'vnm'] }], count('国籍・地域', '性別')));
    expect(r.rows).toEqual([
      ['ベトナム', '男', 2], ['ベトナム', '合計', 2], ['中国', '男', 1], ['中国', '女', 1], ['中国', '合計', 2],
      ['合計', '男', 3], ['合計', '女', 1], ['合計', '合計', 4],
    ]);
    expect(r.compiled.shown.条件1).toBe('国籍・地域 が 中国・ベトナム のいずれか');
    // the residents' own 国籍・地域 grouped: Japanese are shown as （日本人）, last
    const all = await rows(spec(residents(), [], count('国籍・地域')));
    expect(all.rows.at(-2)).toEqual(['（日本人）', 17]);
  });

  it('年齢5歳階級 in numeric order, 不詳 last = the sums of extract 02', async () => {
    const r = await rows(spec(residents(), [], count('年齢5歳階級')));
    const by02 = new Map<string, number>();
    for (const x of await extract('02')) by02.set(x.年齢 as string, (by02.get(x.年齢 as string) ?? 0) + (x.人口 as number));
    const nonZero = [...by02].filter(([, n]) => n > 0);
    expect(r.rows).toEqual([...nonZero, ['合計', 23]]);
    expect(r.rows.map((x) => x[0])).toEqual(['0～4歳', '5～9歳', '10～14歳', '15～19歳', '20～24歳', '25～29歳', '30～34歳', '35～39歳',
      '40～44歳', '45～49歳', '60～64歳', '65～69歳', '70～74歳', '75～79歳', '85～89歳', '不詳', '合計']);
  });

  it('年齢3区分 × 地区 = extract 03\'s 0～14 / 15～64 / 65+ / 不詳', async () => {
    const r = await rows(spec(residents(), [], count('年齢3区分')));
    expect(r.rows).toEqual([['0～14歳', 3], ['15～64歳', 13], ['65歳以上', 6], ['不詳', 1], ['合計', 23]]);
  });

  it('各歳 年齢 sorts numerically (9歳 before 14歳)', async () => {
    const r = await rows(spec(residents(), [{ item: '年齢', op: 'between', values: [0, 15] }], count('年齢')));
    expect(r.rows).toEqual([['0歳', 1], ['9歳', 1], ['14歳', 1], ['合計', 3]]);
  });

  it('町丁字 with names derived from the addresses; 住所コード prefix', async () => {
    const r = await rows(spec(residents(), [], count('町丁字')));
    expect(r.rows).toEqual([['01391001001 本町1丁目', 12], ['01391002000 字しらべ', 11], ['合計', 23]]);
    const p = await rows(spec(residents(), [{ item: '住所コード', op: 'prefix', value: '01391001' }], count()));
    expect(p.rows).toEqual([[12]]);
    const eq = await rows(spec(residents(), [{ item: '町丁字', op: 'equals', value: '01391002000' }], count('住民種別')));
    expect(eq.rows).toEqual([['日本人', 9], ['外国人', 2], ['合計', 11]]);
  });

  it('ages on the 基準日: 65～130 → 6; empty (生年月日不詳) → 1; 地区 empty → 1021 only', async () => {
    expect((await rows(spec(residents(), [{ item: '年齢', op: 'between', values: [65, 130] }], count()))).rows).toEqual([[6]]);
    expect((await rows(spec(residents(), [{ item: '年齢', op: 'empty' }], count()))).rows).toEqual([[1]]);
    expect((await rows(spec(residents(), [{ item: '年齢', op: 'not_empty' }], count()))).rows).toEqual([[22]]);
    expect((await rows(spec(residents(), [{ item: '地区', op: 'empty' }], count('住民種別')))).rows).toEqual([['外国人', 1], ['合計', 1]]);
    // 2024-01-01: 1022 and 1023 not yet in, 1015 1024 1025 still in
    expect((await rows(spec(residents('2024-01-01'), [], count('性別')))).rows).toEqual([['男', 11], ['女', 12], ['合計', 23]]);
  });

  it('在留期間満了日 between dates (keywords allowed) = extract 05; 在留資格 and 法30条45区分 groups', async () => {
    const r = await rows(spec(residents(), [{ item: '在留期間満了日', op: 'between', values: ['next12MonthsStart', 'next12MonthsEnd'] }], count('在留資格')));
    expect(r.rows).toEqual([['定住者', 1], ['技能実習', 1], ['合計', 2]]);
    expect(r.compiled.shown.条件1).toBe('在留期間満了日 が 2025-01-01（令和7年1月1日） から 2025-12-31（令和7年12月31日） まで');
    const k = await rows(spec(residents(), [{ item: '住民種別', op: 'equals', value: '外国人' }], count('法30条45区分')));
    expect(k.rows).toEqual([['中長期在留者', 5], ['特別永住者', 1], ['合計', 6]]);
  });

  it('no group items: one row, the count', async () => {
    const r = await rows(spec(residents(), [], count()));
    expect(r.columns).toEqual(['人数']);
    expect(r.rows).toEqual([[23]]);
  });

  it('an empty result still has its 合計 row (0)', async () => {
    const r = await rows(spec(residents(), [{ item: '在留資格', op: 'equals', value: '外交' }], count('性別')));
    expect(r.rows).toEqual([['合計', 0]]);
  });
});

describe('changes in a period (counted rows only)', () => {
  it('by 異動事由 = extract 07\'s sums (master order: 記載, 消除, 修正)', async () => {
    const r = await rows(spec(changes(), [], count('異動事由')));
    expect(r.columns).toEqual(['異動事由', '件数']);
    expect(r.rows).toEqual([['国内転入', 1], ['国外転入等', 1], ['出生', 1], ['国内転出', 1], ['国外転出', 1], ['死亡', 1], ['転居', 1], ['合計', 7]]);
    const by07 = new Map<string, number>();
    for (const x of await extract('07')) by07.set(x.異動事由 as string, (by07.get(x.異動事由 as string) ?? 0) + (x.計 as number));
    expect(Object.fromEntries(r.rows.filter((x) => x[0] !== '合計'))).toEqual(Object.fromEntries(by07));
  });

  it('月 × 住民種別 with 異動事由 conditions; 年齢 on the 異動日; 異動日 between', async () => {
    const r = await rows(spec(changes(), [{ item: '異動事由', op: 'in', values: ['国内転入', '国外転入等'] }], count('月', '住民種別')));
    expect(r.rows).toEqual([
      ['2024-04', '日本人', 1], ['2024-04', '合計', 1], ['2024-09', '外国人', 1], ['2024-09', '合計', 1],
      ['合計', '日本人', 1], ['合計', '外国人', 1], ['合計', '合計', 2],
    ]);
    // 1022 was 23 on the 異動日 2024-04-01 (24 on 2025-01-01)
    expect((await rows(spec(changes(), [{ item: '年齢', op: 'equals', value: 23 }], count('異動事由')))).rows).toEqual([['国内転入', 1], ['合計', 1]]);
    expect((await rows(spec(changes(), [{ item: '異動日', op: 'between', values: ['2024-10-31', '2024-10-31'] }], count('異動事由')))).rows)
      .toEqual([['国外転出', 1], ['合計', 1]]);
  });

  it('the period end is inclusive and cannot pass processedThrough', async () => {
    expect((await rows(spec(changes('2024-10-31', '2024-10-31'), [], count()))).rows).toEqual([[1]]);
    await expect(compileSpec(store.conn, spec(changes('2024-01-01', '2025-01-01'), [], count()), { includeShien: false }))
      .rejects.toThrow(/処理済み日 2024-12-31 以前/);
    await expect(compileSpec(store.conn, spec(changes('2024-06-01', '2024-05-01'), [], count()), { includeShien: false }))
      .rejects.toThrow(SpecError);
    await expect(compileSpec(store.conn, spec(residents('2025-01-02'), [], count()), { includeShien: false }))
      .rejects.toThrow(/2025-01-01 以前/);
  });
});

describe('person lists (extract 10\'s columns and 支援措置 rule)', () => {
  it('leave the 支援措置 subject out unless includeShien; the same persons and order as extract 10', async () => {
    const s = spec(residents(), [], { kind: 'persons' });
    const r = await rows(s);
    expect(r.columns).toEqual(['宛名番号', '氏名', '氏名カナ', '生年月日', '性別', '住所', '方書', '世帯番号', '続柄']);
    expect(r.compiled.columns.at(-1)).toEqual({ name: '住民種別', kind: 'text' });
    expect(r.compiled.foreignFlagIndex).toBe(9);
    expect(r.compiled.hidden).toEqual(['住民種別']);
    expect(r.total).toBe(22);
    expect(r.persons).toBe(22);
    const ten = await extract('10');
    expect(r.rows.map((x) => x[0])).toEqual(ten.map((x) => x.宛名番号));
    expect(r.rows).toEqual(ten.map((x) => Object.values(x).slice(0, 9)));
    expect(r.compiled.shown.支援措置).toBe('対象者を含まない');
    const all = await rows(s, { includeShien: true });
    expect(all.total).toBe(23);
    expect(all.rows.map((x) => x[0])).toContain('1008');
  });

  it('地区 02 + 日本人 = extract 10\'s 9 persons; 65～130 = 6', async () => {
    const r = await rows(spec(residents(), [{ item: '地区', op: 'equals', value: '02' }, { item: '住民種別', op: 'equals', value: '日本人' }], { kind: 'persons' }));
    expect(r.rows.map((x) => x[0])).toEqual(['1012', '1013', '1014', '1016', '1017', '1018', '1019', '1020', '1022']);
    const old = await rows(spec(residents(), [{ item: '年齢', op: 'between', values: [65, 130] }], { kind: 'persons' }));
    expect(old.rows.map((x) => x[0])).toEqual(['1001', '1002', '1003', '1012', '1014', '1020']);
  });

  it('a changes list has one row per change (異動事由, 異動日 added) and counts distinct persons', async () => {
    const r = await rows(spec(changes(), [], { kind: 'persons' }));
    expect(r.columns.slice(-2)).toEqual(['異動事由', '異動日']);
    expect(r.rows.map((x) => `${x[0]} ${x[9]}`)).toEqual(['1007 出生', '1022 国内転入', '1024 国内転出', '1015 死亡', '1022 転居', '1023 国外転入等', '1025 国外転出']);
    expect(r.total).toBe(7);
    expect(r.persons).toBe(6);
  });
});

describe('streaming and files', () => {
  it('streams the same rows as the preview (hidden 住民種別 included) and writes CSV / XLSX', async () => {
    const compiled = await compileSpec(store.conn, spec(residents(), [{ item: '住民種別', op: 'equals', value: '外国人' }], { kind: 'persons' }), { includeShien: false });
    const streamed: CellValue[][] = [];
    for await (const chunk of streamSpec(store.conn, compiled)) streamed.push(...chunk);
    const p = await previewSpec(store.conn, compiled, 100);
    expect(streamed.map((r) => r.slice(0, 9))).toEqual(p.rows);
    expect(streamed.every((r) => r[9] === '外国人')).toBe(true);
    expect(await countSpec(store.conn, compiled)).toBe(6);

    const csv = path.join(out, 'f.csv');
    const c = await writeSpecFile(store.conn, compiled, { file: csv, format: 'csv' });
    expect(c).toMatchObject({ rows: 6, persons: 6 });
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFF宛名番号,氏名,氏名カナ,生年月日,性別,住所,方書,世帯番号,続柄\r\n')).toBe(true);
    expect(text).not.toContain('外国人');

    const xlsx = path.join(out, 'f.xlsx');
    await writeSpecFile(store.conn, compiled, { file: xlsx, format: 'xlsx', conditions: [['作成者', 'test']] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const cond = wb.getWorksheet('条件')!;
    const lines: string[] = [];
    cond.eachRow((row) => lines.push(row.values!.toString()));
    expect(lines.join('\n')).toContain('条件1');
    expect(lines.join('\n')).toContain('住民種別 が 外国人');
    expect(lines.join('\n')).toContain('作成者');
    expect(wb.worksheets[0]!.rowCount).toBe(7);
  });

  it('refuses XLSX past the row limit before writing', async () => {
    const compiled = await compileSpec(store.conn, spec(residents(), [], { kind: 'persons' }), { includeShien: false });
    await expect(writeSpecFile(store.conn, compiled, { file: path.join(out, 'big.xlsx'), format: 'xlsx', maxXlsxRows: 10 })).rejects.toThrow(/Excel の行数上限/);
  });
});

describe('公表用 (秘匿処理 of src/euc/suppress.ts)', () => {
  it('the last group item is the column item; small counts and what would reveal them are X', async () => {
    const compiled = await compileSpec(store.conn, spec(residents(), [], count('地区', '性別')), { includeShien: false });
    expect(publishShapeOf(compiled)).toEqual({ rowItems: ['地区'], colItem: '性別', value: '人数' });
    const p = await publishSpec(store.conn, compiled, 3);
    expect(p.columns.map((c) => c.name)).toEqual(['地区', '男', '女', '合計']);
    const row = (label: string) => p.rows.find((r) => r[0] === label)!;
    expect(row('（未設定）')).toEqual(['（未設定）', 0, 'X', 'X']); // 1021 alone; 0 stays shown
    expect(row('合計')).toEqual(['合計', 12, 11, 23]);
    expect(p.rows.flat().filter((v) => v === 'X').length).toBeGreaterThanOrEqual(4);
    expect(p.note).toMatch(/3 未満/);
    const one = await compileSpec(store.conn, spec(residents(), [], count('性別')), { includeShien: false });
    expect(publishShapeOf(one)).toEqual({ rowItems: ['性別'], value: '人数' });
    const persons = await compileSpec(store.conn, spec(residents(), [], { kind: 'persons' }), { includeShien: false });
    expect(() => publishShapeOf(persons)).toThrow(SpecError);
  });
});

describe('みほん町: every item and operator runs', () => {
  /** A valid value of an item for an operator (from the data where it matters). */
  function sample(item: string): unknown {
    const def = ITEMS.get(item)!;
    if (def.choices) return def.choices[0];
    if (def.type === 'int') return 30;
    if (def.type === 'date') return '2000-01-01';
    if (def.type === 'code') return '01385000000';
    return 'ベトナム';
  }

  it('each condition item with each of its operators, on each base it has', async () => {
    let ran = 0;
    for (const def of ITEMS.values()) {
      for (const base of def.bases) {
        for (const op of def.ops) {
          const v = sample(def.name);
          const c: Json = { item: def.name, op };
          if (op === 'equals') c.value = v;
          if (op === 'prefix') c.value = '0138';
          if (op === 'in') c.values = [v, v];
          if (op === 'between') c.values = def.type === 'int' ? [0, 150] : ['1900-01-01', '2099-12-31'];
          const b = base === 'residents' ? residents() : changes();
          const r = await rows(spec(b, [c as Condition], count()), { on: mihon });
          expect(r.rows.length, `${def.name} ${op} ${base}`).toBe(1);
          ran++;
        }
      }
    }
    expect(ran).toBeGreaterThan(40);
  });

  it('each group item alone, and three at once, with totals consistent', async () => {
    const total = (await rows(spec(residents(), [], count()), { on: mihon })).rows[0]![0];
    for (const def of ITEMS.values()) {
      if (!def.group) continue;
      for (const base of def.bases) {
        const b = base === 'residents' ? residents() : changes();
        const r = await rows(spec(b, [], count(def.name)), { on: mihon });
        const grand = r.rows.at(-1)!;
        expect(grand[0], def.name).toBe('合計');
        expect(r.rows.slice(0, -1).reduce((s, x) => s + (x[1] as number), 0), def.name).toBe(grand[1]);
        if (base === 'residents') expect(grand[1], def.name).toBe(total);
      }
    }
    const three = await rows(spec(residents(), [], count('地区', '年齢3区分', '性別')), { on: mihon });
    expect(three.rows.at(-1)).toEqual(['合計', '合計', '合計', total]);
    // every subtotal row equals the sum of the detail rows below it
    const detail = three.rows.filter((r) => !r.includes('合計'));
    for (const row of three.rows.filter((r) => r.includes('合計'))) {
      const sum = detail.filter((d) => row.slice(0, 3).every((v, i) => v === '合計' || v === d[i])).reduce((s, d) => s + (d[3] as number), 0);
      expect(row[3], row.join(' ')).toBe(sum);
    }
  });
});
