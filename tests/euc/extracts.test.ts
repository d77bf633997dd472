// The standard extracts on しらべ町 (tests/fixtures/euc-town): each one's numbers equal the hand
// tallies of its README; person lists leave the 支援措置 subject out unless allowed; the random
// sample is reproducible with a seed; streaming gives the same rows as the preview.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getExtract } from '../../src/euc/catalogue.ts';
import { resolveParams } from '../../src/euc/params.ts';
import { countExtract, previewExtract, streamExtract } from '../../src/euc/run.ts';
import type { CellValue, ExtractDef } from '../../src/euc/types.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { EUC_TOWN_DIR, EUC_TOWN_PACKAGE, writeEucTown } from '../fixtures/euc-town/build.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

let store: Store;

beforeAll(async () => {
  const dir = await tempDir('euc-town');
  const db = path.join(dir, 'town.duckdb');
  const report = await load(EUC_TOWN_PACKAGE, db);
  expect(report.findings).toEqual([]);
  store = await openStore(db, { readOnly: true });
});

afterAll(async () => {
  store?.close();
  await removeTempDirs();
});

const ext = (id: string): ExtractDef => {
  const def = getExtract(id);
  if (!def) throw new Error(`no extract ${id}`);
  return def;
};

/** Runs an extract with raw parameters; every row, as objects keyed by column name. */
async function run(id: string, raw: Record<string, unknown> = {}, includeShien = false): Promise<{ rows: Record<string, CellValue>[]; total: number; persons?: number; shown: Record<string, string> }> {
  const def = ext(id);
  const { values, shown } = await resolveParams(store.conn, def, raw);
  const p = await previewExtract(store.conn, def, values, { includeShien, rows: 10_000 });
  expect(p.rows.length).toBe(p.total);
  const rows = p.rows.map((r) => Object.fromEntries(p.columns.map((c, i) => [c.name, r[i]!])));
  return { rows, total: p.total, ...(p.persons !== undefined ? { persons: p.persons } : {}), shown };
}

const pick = (rows: Record<string, CellValue>[], cols: string[]) => rows.map((r) => cols.map((c) => r[c]));

describe('しらべ町 fixture', () => {
  it('has a README with the hand tallies, and its committed package is what persons.ts builds', async () => {
    expect(readFileSync(path.join(EUC_TOWN_DIR, 'README.md'), 'utf8')).toContain('Hand tallies');
    const rebuilt = await writeEucTown(path.join(await tempDir('euc-town-rebuilt'), 'package'));
    for (const f of ['manifest.json', '住民.csv', '異動履歴.csv']) {
      expect(readFileSync(path.join(rebuilt, f)).equals(readFileSync(path.join(EUC_TOWN_PACKAGE, f))),
        `package/${f} is stale: run npx tsx tests/fixtures/euc-town/build.ts`).toBe(true);
    }
  });
});

describe('aggregates on 基準日 2025-01-01 (the default: the day after processedThrough)', () => {
  it('01 町丁字別 男女別 人口・世帯数, with names derived from the addresses', async () => {
    const r = await run('01');
    expect(r.shown).toEqual({ 基準日: '2025-01-01（令和7年1月1日）' });
    expect(pick(r.rows, ['町丁字コード', '町丁字名', '世帯数', '総数', '男', '女'])).toEqual([
      ['01391001001', '本町1丁目', 7, 12, 6, 6],
      ['01391002000', '字しらべ', 6, 11, 6, 5],
      [null, '合計', 13, 23, 12, 11],
    ]);
  });

  it('01 on 2024-01-01: 1022 and 1023 not yet in, 1024 and 1025 still in', async () => {
    const r = await run('01', { kijunbi: '2024-01-01' });
    expect(pick(r.rows, ['町丁字コード', '世帯数', '総数'])).toEqual([['01391001001', 8, 12], ['01391002000', 5, 11], [null, 13, 23]]);
  });

  it('02 年齢5歳階級別: every band of both 町丁字, plus the 不詳 row', async () => {
    const r = await run('02');
    expect(r.total).toBe(85);
    const nonZero = r.rows.filter((x) => x.人口 !== 0).map((x) => `${x.町丁字名} ${x.年齢} ${x.性別} ${x.人口}`);
    expect(nonZero).toEqual([
      '本町1丁目 0～4歳 女 1', '本町1丁目 5～9歳 男 1', '本町1丁目 10～14歳 男 1', '本町1丁目 25～29歳 男 1',
      '本町1丁目 30～34歳 女 1', '本町1丁目 35～39歳 女 1', '本町1丁目 40～44歳 男 1', '本町1丁目 40～44歳 女 1',
      '本町1丁目 70～74歳 男 1', '本町1丁目 70～74歳 女 1', '本町1丁目 85～89歳 女 1', '本町1丁目 不詳 男 1',
      '字しらべ 15～19歳 男 1', '字しらべ 15～19歳 女 1', '字しらべ 20～24歳 男 1', '字しらべ 30～34歳 男 1',
      '字しらべ 45～49歳 男 1', '字しらべ 45～49歳 女 1', '字しらべ 60～64歳 女 2', '字しらべ 65～69歳 男 1',
      '字しらべ 75～79歳 女 1', '字しらべ 85～89歳 男 1',
    ]);
    expect(r.rows.reduce((s, x) => s + (x.人口 as number), 0)).toBe(23);
    expect(r.rows.filter((x) => x.町丁字コード === '01391002000').at(-2)).toMatchObject({ 年齢: '100歳以上', 性別: '男', 人口: 0 });
  });

  it('02 各歳 for one 町丁字', async () => {
    const r = await run('02', { kaikyu: '各歳', chocho: '01391002000' });
    expect(r.total).toBe(101 * 2);
    expect(r.rows.filter((x) => x.人口 !== 0).map((x) => `${x.年齢}${x.性別}${x.人口}`)).toEqual([
      '16歳男1', '19歳女1', '24歳男1', '32歳男1', '47歳女1', '49歳男1', '62歳女1', '64歳女1', '67歳男1', '79歳女1', '89歳男1',
    ]);
  });

  it('03 地区別: 年齢3区分, 高齢化率 with one decimal, （未設定） last, then 合計', async () => {
    const r = await run('03');
    expect(pick(r.rows, ['地区コード', '世帯数', '総数', '男', '女', '年少人口（0～14歳）', '生産年齢人口（15～64歳）', '老年人口（65歳以上）', '年齢不詳', '高齢化率（%）'])).toEqual([
      ['01', 7, 12, 6, 6, 3, 5, 3, 1, 25],
      ['02', 5, 10, 6, 4, 0, 7, 3, 0, 30],
      ['（未設定）', 1, 1, 0, 1, 0, 1, 0, 0, 0],
      ['合計', 13, 23, 12, 11, 3, 13, 6, 1, 26.1],
    ]);
  });

  it('04 国籍・地域別: by sex, by 在留資格 and by 30条45区分', async () => {
    expect(pick((await run('04')).rows, ['国籍・地域', '内訳', '人数'])).toEqual([
      ['ベトナム', '男', 2], ['中国', '男', 1], ['中国', '女', 1], ['フィリピン', '男', 1], ['韓国', '女', 1],
    ]);
    expect(pick((await run('04', { breakdown: '在留資格' })).rows, ['国籍・地域', '内訳', '人数'])).toEqual([
      ['ベトナム', '技能実習', 1], ['ベトナム', '技術・人文知識・国際業務', 1], ['中国', '家族滞在', 1], ['中国', '永住者', 1],
      ['フィリピン', '定住者', 1], ['韓国', '（特別永住者）', 1],
    ]);
    expect(pick((await run('04', { breakdown: '30条45区分' })).rows, ['国籍・地域', '内訳', '人数'])).toEqual([
      ['ベトナム', '中長期在留者', 2], ['中国', '中長期在留者', 2], ['フィリピン', '中長期在留者', 1], ['韓国', '特別永住者', 1],
    ]);
  });

  it('05 在留期間満了日 in the next 12 months, by month', async () => {
    expect(pick((await run('05')).rows, ['満了年月', '在留資格', '男', '女', '人数'])).toEqual([
      ['2025-02', '定住者', 1, 0, 1], ['2025-05', '技能実習', 1, 0, 1],
    ]);
    // Both ends are inclusive.
    expect((await run('05', { from: '2025-05-31', to: '2026-03-31' })).rows.map((x) => x.満了年月)).toEqual(['2025-05', '2026-03']);
  });

  it('06 世帯人員別 世帯数, 65歳以上のみ, 65歳以上単身', async () => {
    expect(pick((await run('06')).rows, ['区分', '世帯数', '世帯人員'])).toEqual([
      ['1人世帯', 8, 8], ['2人世帯', 3, 6], ['3人世帯', 0, 0], ['4人世帯', 1, 4], ['5人世帯', 1, 5], ['6人世帯', 0, 0],
      ['7人世帯', 0, 0], ['8人世帯', 0, 0], ['9人世帯', 0, 0], ['10人以上の世帯', 0, 0], ['合計', 13, 23],
      ['65歳以上のみの世帯', 3, 4], ['65歳以上単身世帯', 2, 2],
    ]);
  });
});

describe('aggregates over the period 2024-01-01～2024-12-31 (the default: the last complete year)', () => {
  it('07 月別 人口動態', async () => {
    const r = await run('07');
    expect(pick(r.rows, ['年月', '区分', '異動事由', '日本人男', '日本人女', '外国人男', '外国人女', '計'])).toEqual([
      ['2024-03', '記載', '出生', 0, 1, 0, 0, 1],
      ['2024-04', '記載', '国内転入', 1, 0, 0, 0, 1],
      ['2024-05', '消除', '国内転出', 0, 1, 0, 0, 1],
      ['2024-06', '消除', '死亡', 0, 1, 0, 0, 1],
      ['2024-08', '修正', '転居', 1, 0, 0, 0, 1],
      ['2024-09', '記載', '国外転入等', 0, 0, 1, 0, 1],
      ['2024-10', '消除', '国外転出', 0, 0, 1, 0, 1],
    ]);
    // The period end is inclusive: 1025's 国外転出 takes effect on 2024-10-31.
    expect((await run('07', { from: '2024-10-31', to: '2024-10-31' })).rows.map((x) => x.異動事由)).toEqual(['国外転出']);
    expect((await run('07', { from: '2024-10-01', to: '2024-10-30' })).total).toBe(0);
  });

  it('08 転入元 / 転出先', async () => {
    const cols = ['都道府県コード', '都道府県', '市区町村コード', '市区町村', '年齢区分', '男', '女', '計'];
    expect(pick((await run('08')).rows, cols)).toEqual([
      ['01', '北海道', '01204', '旭川市', '15～64歳', 1, 0, 1],
      [null, '国外', null, 'ベトナム', '15～64歳', 1, 0, 1],
    ]);
    expect(pick((await run('08', { direction: '転出', nenrei: '5歳階級' })).rows, cols)).toEqual([
      ['13', '東京都', '13101', '千代田区', '35～39歳', 0, 1, 1],
      [null, '国外', null, '中国', '30～34歳', 1, 0, 1],
    ]);
  });

  it('09 月末人口 推移 (月末現在 = as of the next day)', async () => {
    const r = await run('09');
    expect(pick(r.rows, ['年月', '月末日', '世帯数', '総数', '男', '女', '日本人', '外国人'])).toEqual([
      ['2024-01', '2024-01-31', 13, 23, 11, 12, 17, 6],
      ['2024-02', '2024-02-29', 13, 23, 11, 12, 17, 6],
      ['2024-03', '2024-03-31', 13, 24, 11, 13, 18, 6],
      ['2024-04', '2024-04-30', 14, 25, 12, 13, 19, 6],
      ['2024-05', '2024-05-31', 13, 24, 12, 12, 18, 6],
      ['2024-06', '2024-06-30', 13, 23, 12, 11, 17, 6],
      ['2024-07', '2024-07-31', 13, 23, 12, 11, 17, 6],
      ['2024-08', '2024-08-31', 13, 23, 12, 11, 17, 6],
      ['2024-09', '2024-09-30', 14, 24, 13, 11, 17, 7],
      ['2024-10', '2024-10-31', 13, 23, 12, 11, 17, 6],
      ['2024-11', '2024-11-30', 13, 23, 12, 11, 17, 6],
      ['2024-12', '2024-12-31', 13, 23, 12, 11, 17, 6],
    ]);
    // Only month ends inside the period: 2024-03-15～2024-05-30 has the ends of March and April.
    expect((await run('09', { from: '2024-03-15', to: '2024-05-30' })).rows.map((x) => x.月末日)).toEqual(['2024-03-31', '2024-04-30']);
  });
});

describe('person lists', () => {
  const ids = (rows: Record<string, CellValue>[]) => rows.map((x) => x.宛名番号);

  it('10 leaves the 支援措置 subject out unless the user may see them', async () => {
    const r = await run('10');
    expect(r.total).toBe(22);
    expect(r.persons).toBe(22);
    expect(ids(r.rows)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1009', '1010', '1011', '1026',
      '1012', '1013', '1014', '1016', '1017', '1018', '1019', '1020', '1021', '1022', '1023']);
    const all = await run('10', {}, true);
    expect(all.total).toBe(23);
    expect(ids(all.rows)).toContain('1008');
    expect(all.rows.find((x) => x.宛名番号 === '1010')).toEqual({
      宛名番号: '1010', 氏名: '王　麗', 氏名カナ: 'ワン　リー', 生年月日: '1988-02-29', 性別: '女', 住所: '北海道しらべ町本町1丁目6番6号',
      方書: null, 世帯番号: '106', 続柄: '世帯主', 住民種別: '外国人',
    });
  });

  it('10 conditions: age range on the 基準日, 地区 and 住民種別', async () => {
    expect(ids((await run('10', { age_from: 65, age_to: 130 })).rows)).toEqual(['1001', '1002', '1003', '1012', '1014', '1020']);
    expect(ids((await run('10', { chiku: '02', jushu: '日本人' })).rows)).toEqual(['1012', '1013', '1014', '1016', '1017', '1018', '1019', '1020', '1022']);
    expect(ids((await run('10', { jushu: '外国人', age_from: 0, age_to: 20 })).rows)).toEqual(['1011']);
    // On 2024-01-01 1024 was still a resident, aged 38.
    expect(ids((await run('10', { kijunbi: '2024-01-01', age_from: 38, age_to: 38 })).rows)).toEqual(['1024']);
  });

  it('11 is reproducible with the same seed, changes with another, and never includes 支援措置 without permission', async () => {
    const raw = { seed: 'しらべ2025', n: 5, age_from: 0, age_to: 130 };
    const a = await run('11', raw);
    const b = await run('11', raw);
    expect(a.total).toBe(5);
    expect(b.rows).toEqual(a.rows);
    expect(a.rows.map((x) => x.抽出順).sort()).toEqual([1, 2, 3, 4, 5]);
    const other = await run('11', { ...raw, seed: 'べつの種' });
    expect(new Set(ids(other.rows))).not.toEqual(new Set(ids(a.rows)));
    // Sorted for mailing: 住所コード, 世帯番号, 宛名番号.
    const order = (await run('10', {}, true)).rows.map((x) => x.宛名番号);
    const positions = ids(a.rows).map((id) => order.indexOf(id));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));

    const everyone = await run('11', { ...raw, n: 100 });
    expect(everyone.total).toBe(22);
    expect(ids(everyone.rows)).not.toContain('1008');
    const withShien = await run('11', { ...raw, n: 100 }, true);
    expect(withShien.total).toBe(23);
    expect(ids(withShien.rows)).toContain('1008');
    // The default age range 18～130 leaves out the under-18s and the person of unknown age.
    expect((await run('11', { seed: 'x', n: 100 })).total).toBe(17);
    expect(ids((await run('11', { seed: 'x', n: 100, seibetsu: '女', chiku: '01' })).rows)).toEqual(['1002', '1003', '1005', '1010']);
  });

  it('11: the draw key is per person, so a smaller sample is the start of a larger one', async () => {
    const five = await run('11', { seed: 's', n: 5, age_from: 0, age_to: 130 });
    const ten = await run('11', { seed: 's', n: 10, age_from: 0, age_to: 130 });
    const firstFive = ten.rows.filter((x) => (x.抽出順 as number) <= 5).map((x) => x.宛名番号).sort();
    expect(ids(five.rows).sort()).toEqual(firstFive);
  });
});

describe('engine', () => {
  it('streams the same rows as the preview, with the hidden 住民種別 index', async () => {
    for (const id of ['01', '02', '07', '10']) {
      const def = ext(id);
      const { values } = await resolveParams(store.conn, def, {});
      const preview = await previewExtract(store.conn, def, values, { includeShien: true, rows: 10_000 });
      const s = streamExtract(store.conn, def, values, { includeShien: true });
      expect(s.columns).toEqual(def.columns);
      const streamed: CellValue[][] = [];
      for await (const chunk of s.chunks) streamed.push(...chunk);
      expect(streamed, id).toEqual(preview.rows);
      if (id === '10') {
        expect(s.foreignFlagIndex).toBe(9);
        expect(preview.foreignFlagIndex).toBe(9);
        expect(streamed.find((r) => r[0] === '1009')?.[9]).toBe('外国人');
      } else {
        expect(s.foreignFlagIndex).toBeUndefined();
      }
    }
  });

  it('previews the first rows with the total count, and counts', async () => {
    const def = ext('02');
    const { values } = await resolveParams(store.conn, def, {});
    const p = await previewExtract(store.conn, def, values, { includeShien: false, rows: 3 });
    expect(p.rows).toEqual([
      ['01391001001', '本町1丁目', '0～4歳', '男', 0],
      ['01391001001', '本町1丁目', '0～4歳', '女', 1],
      ['01391001001', '本町1丁目', '5～9歳', '男', 1],
    ]);
    expect(p.total).toBe(85);
    expect(p.persons).toBeUndefined();
    expect(await countExtract(store.conn, def, values, { includeShien: false })).toBe(85);
    expect(await countExtract(store.conn, ext('10'), (await resolveParams(store.conn, ext('10'), {})).values, { includeShien: true })).toBe(23);
  });

  it('refuses to run with parameters that were not resolved', async () => {
    await expect(countExtract(store.conn, ext('01'), {}, { includeShien: false })).rejects.toThrow('$kijunbi の値がありません');
  });
});
