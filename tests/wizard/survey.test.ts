// Extract 12 月別 人口移動調査（都道府県報告用） on しらべ町 (hand tallies of tests/fixtures/euc-town) and
// みほん町: every month's 月末人口 = 前月末人口 + 出生 − 死亡 + 転入 − 転出 + その他の増 − その他の減 for each
// 住民種別 × 性別; 月末人口 = extract 09; the movements = the wizard's counts of the same changes
// (changes by 月 × 異動事由 × 住民種別 × 性別), so the survey and the wizard agree.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getExtract } from '../../src/euc/catalogue.ts';
import { resolveParams } from '../../src/euc/params.ts';
import { previewExtract } from '../../src/euc/run.ts';
import type { CellValue } from '../../src/export/types.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { compileSpec } from '../../src/wizard/compile.ts';
import { previewSpec } from '../../src/wizard/run.ts';
import { parseSpec } from '../../src/wizard/spec.ts';
import { EUC_TOWN_PACKAGE } from '../fixtures/euc-town/build.ts';
import { mihonDir, removeTempDirs, tempDir } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

let town: Store;
let mihon: Store;

beforeAll(async () => {
  const dir = await tempDir('survey');
  await load(EUC_TOWN_PACKAGE, path.join(dir, 'town.duckdb'));
  await load(mihonDir('UTF-8'), path.join(dir, 'mihon.duckdb'));
  town = await openStore(path.join(dir, 'town.duckdb'), { readOnly: true });
  mihon = await openStore(path.join(dir, 'mihon.duckdb'), { readOnly: true });
});

afterAll(async () => {
  town?.close();
  mihon?.close();
  await removeTempDirs();
});

type Row = Record<string, CellValue>;

async function run(store: Store, id: string, raw: Record<string, unknown> = {}): Promise<Row[]> {
  const def = getExtract(id)!;
  const { values } = await resolveParams(store.conn, def, raw);
  const p = await previewExtract(store.conn, def, values, { includeShien: false, rows: 100_000 });
  expect(p.rows.length).toBe(p.total);
  return p.rows.map((r) => Object.fromEntries(def.columns.map((c, i) => [c.name, r[i]!])));
}

const SEXES = ['日本人男', '日本人女', '外国人男', '外国人女'] as const;
const line = (r: Row) => [r.年月, r.項目, ...SEXES.map((k) => r[k]), r.総数, r.世帯数];
const SIGN: Record<string, number> = {
  出生: 1, 死亡: -1, '転入（県内）': 1, '転入（県外）': 1, '転入（国外等）': 1, '転出（県内）': -1, '転出（県外）': -1, '転出（国外）': -1, その他の増: 1, その他の減: -1,
};

/** Checks the balance of every month and that each month starts where the previous one ended. */
function checkBalance(rows: Row[]): void {
  const months = [...new Set(rows.map((r) => r.年月 as string))];
  let previousEnd: Row | undefined;
  for (const m of months) {
    const mine = rows.filter((r) => r.年月 === m);
    expect(mine.map((r) => r.項目)).toEqual(['前月末人口', '出生', '死亡', '転入（県内）', '転入（県外）', '転入（国外等）', '転出（県内）', '転出（県外）', '転出（国外）', 'その他の増', 'その他の減', '月末人口']);
    const start = mine[0]!;
    const end = mine.at(-1)!;
    for (const k of SEXES) {
      const moved = mine.slice(1, -1).reduce((s, r) => s + SIGN[r.項目 as string]! * (r[k] as number), 0);
      expect((start[k] as number) + moved, `${m} ${k}`).toBe(end[k]);
    }
    for (const r of mine) {
      expect(r.日本人計).toBe((r.日本人男 as number) + (r.日本人女 as number));
      expect(r.外国人計).toBe((r.外国人男 as number) + (r.外国人女 as number));
      expect(r.総数).toBe((r.日本人計 as number) + (r.外国人計 as number));
    }
    if (previousEnd) expect(line(start).slice(2)).toEqual(line(previousEnd).slice(2));
    previousEnd = end;
  }
}

describe('12 月別 人口移動調査 on しらべ町 (period 2024-01-01～2024-12-31, the default)', () => {
  it('has the metadata of a standard extract (two tables by a choice, no chart)', () => {
    const def = getExtract('12')!;
    expect(def.title).toBe('月別 人口移動調査（都道府県報告用）');
    expect(def.params.map((p) => p.name)).toEqual(['from', 'to', 'hyo']);
    expect(def.description).toMatch(/月末人口＝前月末人口＋出生－死亡＋転入－転出＋その他の増－その他の減/);
  });

  it('動態・月末人口: the hand tallies of the README', async () => {
    const rows = await run(town, '12');
    expect(rows).toHaveLength(12 * 12);
    checkBalance(rows);
    const nonZeroMoves = rows.filter((r) => r.区分 !== '人口' && r.総数 !== 0).map(line);
    expect(nonZeroMoves).toEqual([
      ['2024-03', '出生', 0, 1, 0, 0, 1, null],
      ['2024-04', '転入（県内）', 1, 0, 0, 0, 1, null], // 1022 from 01204 旭川市: the same 北海道 (01)
      ['2024-05', '転出（県外）', 0, 1, 0, 0, 1, null], // 1024 to 13101 東京都千代田区
      ['2024-06', '死亡', 0, 1, 0, 0, 1, null],
      ['2024-09', '転入（国外等）', 0, 0, 1, 0, 1, null],
      ['2024-10', '転出（国外）', 0, 0, 1, 0, 1, null],
    ]);
    // 2024-01-01: J 男 7 (1001 1004 1006 1012 1014 1016 1019) 女 10, F 男 4 (1009 1011 1025 1026) 女 2; 13 households
    expect(line(rows[0]!)).toEqual(['2024-01', '前月末人口', 7, 10, 4, 2, 23, 13]);
    // 2024-12 月末: J 男 8 (+1022) 女 9 (+1007 −1015 −1024), F 男 4 (+1023 −1025) 女 2; = the 2025-01-01 figures
    expect(line(rows.at(-1)!)).toEqual(['2024-12', '月末人口', 8, 9, 4, 2, 23, 13]);
  });

  it('月末人口 and 世帯数 equal extract 09 for every month', async () => {
    const rows = await run(town, '12');
    const nine = await run(town, '09');
    const ends = rows.filter((r) => r.項目 === '月末人口');
    expect(ends.map((r) => [r.年月, r.総数, (r.日本人男 as number) + (r.外国人男 as number), (r.日本人女 as number) + (r.外国人女 as number), r.日本人計, r.外国人計, r.世帯数]))
      .toEqual(nine.map((r) => [r.年月, r.総数, r.男, r.女, r.日本人, r.外国人, r.世帯数]));
  });

  it('the movements equal the wizard\'s counts of the same changes (月 × 異動事由 × 住民種別 × 性別)', async () => {
    const rows = await run(town, '12');
    const spec = parseSpec({
      format: 'juki-extract/1', title: '人口移動', base: { kind: 'changes', from: 'last12MonthsStart', to: 'last12MonthsEnd' },
      conditions: [{ item: '異動事由', op: 'in', values: ['出生', '死亡', '国内転入', '国外転入等', '国内転出', '国外転出'] }],
      output: { kind: 'count', groupBy: ['月', '異動事由', '住民種別'] },
    });
    const compiled = await compileSpec(town.conn, spec, { includeShien: false });
    const wizard = (await previewSpec(town.conn, compiled, 10_000)).rows.filter((r) => !r.includes('合計'));
    const fromSurvey = new Map<string, number>();
    const reason: Record<string, string> = { 出生: '出生', 死亡: '死亡', '転入（県内）': '国内転入', '転入（県外）': '国内転入', '転入（国外等）': '国外転入等', '転出（県内）': '国内転出', '転出（県外）': '国内転出', '転出（国外）': '国外転出' };
    for (const r of rows) {
      const why = reason[r.項目 as string];
      if (!why) continue;
      for (const [jushu, k] of [['日本人', '日本人計'], ['外国人', '外国人計']] as const) {
        const key = `${r.年月} ${why} ${jushu}`;
        if ((r[k] as number) > 0) fromSurvey.set(key, (fromSurvey.get(key) ?? 0) + (r[k] as number));
      }
    }
    expect(Object.fromEntries(wizard.map((r) => [`${r[0]} ${r[1]} ${r[2]}`, r[3]]))).toEqual(Object.fromEntries(fromSurvey));
  });

  it('転入元・転出先（都道府県別）: by prefecture, 国外, with a 計 per month and direction', async () => {
    const rows = await run(town, '12', { hyo: '転入元・転出先（都道府県別）' });
    expect(rows.map((r) => [r.年月, r.区分, r.項目, r.日本人計, r.外国人計, r.総数, r.世帯数])).toEqual([
      ['2024-04', '転入', '北海道', 1, 0, 1, null], ['2024-04', '転入', '計', 1, 0, 1, null],
      ['2024-05', '転出', '東京都', 1, 0, 1, null], ['2024-05', '転出', '計', 1, 0, 1, null],
      ['2024-09', '転入', '国外', 0, 1, 1, null], ['2024-09', '転入', '計', 0, 1, 1, null],
      ['2024-10', '転出', '国外', 0, 1, 1, null], ['2024-10', '転出', '計', 0, 1, 1, null],
    ]);
  });

  it('months are whole from the month of 「から」; the last month is cut at 「まで」', async () => {
    const rows = await run(town, '12', { from: '2024-03-15', to: '2024-04-01' });
    expect([...new Set(rows.map((r) => r.年月))]).toEqual(['2024-03', '2024-04']);
    expect(rows.find((r) => r.年月 === '2024-03' && r.項目 === '出生')?.総数).toBe(1); // 1007, effective 03-12, before the 15th
    // 1022's 国内転入 takes effect on 04-02: after the cut
    expect(rows.find((r) => r.年月 === '2024-04' && r.項目 === '転入（県内）')?.総数).toBe(0);
    expect(line(rows.at(-1)!)).toEqual(['2024-04', '月末人口', 7, 11, 4, 2, 24, 13]);
    checkBalance(rows);
  });
});

describe('12 on みほん町', () => {
  it('balances every month of its default period, and its two tables agree on 転入 / 転出', async () => {
    const rows = await run(mihon, '12');
    expect(rows.length).toBe(12 * 12);
    checkBalance(rows);
    const pref = await run(mihon, '12', { hyo: '転入元・転出先（都道府県別）' });
    for (const dir of ['転入', '転出'] as const) {
      const a = rows.filter((r) => (r.項目 as string).startsWith(dir)).reduce((s, r) => s + (r.総数 as number), 0);
      const b = pref.filter((r) => r.区分 === dir && r.項目 === '計').reduce((s, r) => s + (r.総数 as number), 0);
      expect(b, dir).toBe(a);
    }
    expect(rows.some((r) => r.区分 !== '人口' && (r.総数 as number) > 0)).toBe(true);
  });

  it('each month is its own period: a 転出 cancelled next month counts in its month, the 取消し in the next', async () => {
    // 1043: 国内転出 to 01386 effective 2021-12-13, 異動の取消し（増） effective 2022-01-12
    const rows = await run(mihon, '12', { from: '2021-12-01', to: '2022-01-31' });
    const at = (m: string, item: string) => rows.find((r) => r.年月 === m && r.項目 === item)!.日本人女;
    expect(at('2021-12', '転出（県内）')).toBe(1);
    expect(at('2022-01', 'その他の増')).toBe(1);
    checkBalance(rows);
  });
});
