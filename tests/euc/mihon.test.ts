// The standard extracts on the みほん町 conformance package: every aggregate runs with its defaults
// and each parameter choice, and the totals agree across extracts. Also: 町丁字 of a designated
// city, and a person list larger than one DuckDB chunk streamed chunk by chunk.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, getExtract } from '../../src/euc/catalogue.ts';
import { resolveParams } from '../../src/euc/params.ts';
import { countExtract, previewExtract, streamExtract } from '../../src/euc/run.ts';
import type { CellValue, ExtractDef } from '../../src/euc/types.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { REPO_ROOT, bigPackage, mihon, mihonDir, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

const stores: Store[] = [];

async function loaded(source: string, name: string): Promise<Store> {
  const db = path.join(await tempDir(name), `${name}.duckdb`);
  await load(source, db);
  const store = await openStore(db, { readOnly: true });
  stores.push(store);
  return store;
}

afterAll(async () => {
  for (const s of stores) s.close();
  await removeTempDirs();
});

const ext = (id: string): ExtractDef => getExtract(id)!;

async function rowsOf(store: Store, id: string, raw: Record<string, unknown> = {}): Promise<Record<string, CellValue>[]> {
  const def = ext(id);
  const { values } = await resolveParams(store.conn, def, raw);
  const p = await previewExtract(store.conn, def, values, { includeShien: false, rows: 100_000 });
  expect(p.rows.length, id).toBe(p.total);
  return p.rows.map((r) => Object.fromEntries(def.columns.map((c, i) => [c.name, r[i]!])));
}

describe('みほん町', () => {
  let store: Store;
  beforeAll(async () => {
    store = await loaded(mihonDir('UTF-8'), 'euc-mihon');
  });

  it('runs every aggregate (01–09) with its defaults and with each choice', async () => {
    const variants: [string, Record<string, unknown>][] = [
      ['02', { kaikyu: '各歳' }], ['04', { breakdown: '30条45区分' }], ['04', { breakdown: '在留資格' }],
      ['08', { direction: '転出' }], ['08', { nenrei: '5歳階級' }],
    ];
    for (const def of catalogue().filter((d) => d.kind === 'aggregate')) {
      const rows = await rowsOf(store, def.id);
      expect(rows.length, def.id).toBeGreaterThan(0);
    }
    for (const [id, raw] of variants) expect((await rowsOf(store, id, raw)).length, `${id} ${JSON.stringify(raw)}`).toBeGreaterThan(0);
  });

  it('agrees with itself: 町丁字, 地区, 年齢 and 世帯 totals, and the last month end of 09', async () => {
    const t01 = (await rowsOf(store, '01')).find((r) => r.町丁字名 === '合計')!;
    const t03 = (await rowsOf(store, '03')).find((r) => r.地区コード === '合計')!;
    const sum02 = (await rowsOf(store, '02')).reduce((s, r) => s + (r.人口 as number), 0);
    const t06 = (await rowsOf(store, '06')).find((r) => r.区分 === '合計')!;
    expect(t03.総数).toBe(t01.総数);
    expect(t03.世帯数).toBe(t01.世帯数);
    expect(sum02).toBe(t01.総数);
    expect(t06).toMatchObject({ 世帯数: t01.世帯数, 世帯人員: t01.総数 });
    const foreign = (await rowsOf(store, '04')).reduce((s, r) => s + (r.人数 as number), 0);
    // 09 for the month ending on processedThrough (2022-01-31) = the state on 2022-02-01.
    const jan = await rowsOf(store, '09', { from: '2022-01-01', to: '2022-01-31' });
    expect(jan).toEqual([expect.objectContaining({ 年月: '2022-01', 総数: t01.総数, 世帯数: t01.世帯数, 外国人: foreign })]);
    expect(await rowsOf(store, '01')).toEqual(expect.arrayContaining([expect.objectContaining({ 町丁字コード: '01385002000', 町丁字名: '字みほん' })]));
  });
});

describe('a designated city (tests/fixtures/designated-city)', () => {
  it('keys 町丁字 by the whole 住所コード, ward included, and keeps the ward in the name', async () => {
    const store = await loaded(path.join(REPO_ROOT, 'tests/fixtures/designated-city/package'), 'euc-designated');
    const rows = (await rowsOf(store, '01')).filter((r) => r.町丁字名 !== '合計');
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      expect(r.町丁字コード).toMatch(/^4710[123]\d{6}$/);
      const ward = { '47101': '中央区', '47102': '北区', '47103': '南区' }[(r.町丁字コード as string).slice(0, 5)]!;
      expect(r.町丁字名, String(r.町丁字コード)).toMatch(new RegExp(`^${ward}`));
    }
  });
});

describe('a person list larger than one chunk', () => {
  it('streams chunk by chunk, the same rows as the preview', async () => {
    const dir = await tempDir('euc-big-pkg');
    const store = await loaded(await writePackage(dir, bigPackage(await mihon(), 80)), 'euc-big');
    const def = ext('10');
    const { values } = await resolveParams(store.conn, def, {});
    const total = await countExtract(store.conn, def, values, { includeShien: false });
    expect(total).toBeGreaterThan(2048);
    const preview = await previewExtract(store.conn, def, values, { includeShien: false, rows: total });
    const { chunks } = streamExtract(store.conn, def, values, { includeShien: false });
    const sizes: number[] = [];
    const rows: CellValue[][] = [];
    for await (const chunk of chunks) {
      sizes.push(chunk.length);
      rows.push(...chunk);
    }
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2048);
    expect(rows.length).toBe(total);
    expect(rows).toEqual(preview.rows);
  });
});
