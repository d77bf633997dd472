// Report queries are files with metadata (style.md §1): every .sql under queries/nenpo, zairyu and
// report has a valid .meta.json whose parameters are exactly the ones the SQL binds; every data file
// (.csv) has one too; the 異動事由 → 集計列 table is complete and well-formed; the query version
// covers every file the reports read.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryPath } from '../../src/store/db.ts';
import { loadQuery, metaFileOf, readMeta, sqlParameters } from '../../src/reports/common/queries.ts';
import { readColumnMapping } from '../../src/reports/nenpo/mapping.ts';
import { NENPO_QUERY_FILES } from '../../src/reports/nenpo/data.ts';
import { ZAIRYU_QUERY_FILES } from '../../src/reports/zairyu/index.ts';
import { tempDir } from './helpers/store.ts';

const AREAS = ['nenpo', 'zairyu', 'report'];
const files = (ext: string) => AREAS.flatMap((a) => readdirSync(queryPath(a)).filter((f) => f.endsWith(ext)).map((f) => `${a}/${f}`));

const tmp = tempDir('queries');
afterAll(() => tmp.cleanup());

describe('query files', () => {
  it.each(files('.sql'))('%s has metadata matching its parameters', (file) => {
    const q = loadQuery(file);
    expect(q.meta.parameters.map((p) => p.name).sort()).toEqual(sqlParameters(q.sql));
    expect(q.sql.startsWith('--'), 'starts with a comment saying what it is').toBe(true);
  });

  it.each(files('.csv'))('%s has metadata describing its columns', (file) => {
    const meta = readMeta(file);
    const header = readFileSyncFirstLine(file);
    expect(meta.columns.map((c) => c.name)).toEqual(header);
  });

  it('every metadata file belongs to a query or data file', () => {
    const metas = files('.meta.json');
    const owners = new Set([...files('.sql'), ...files('.csv')].map(metaFileOf));
    expect(metas.filter((m) => !owners.has(m))).toEqual([]);
  });

  it('the query versions hash every query, metadata and data file of their reports', () => {
    const nenpo = new Set(NENPO_QUERY_FILES);
    const zairyu = new Set(ZAIRYU_QUERY_FILES);
    for (const f of [...files('.sql'), ...files('.csv'), ...files('.meta.json')]) {
      if (f.startsWith('nenpo/') || f.startsWith('report/')) expect(nenpo.has(f), f).toBe(true);
      if (f.startsWith('zairyu/') || f.startsWith('report/')) expect(zairyu.has(f), f).toBe(true);
    }
  });

  it('finds parameters outside strings and comments only', () => {
    expect(sqlParameters("SELECT $a, '$b' -- $c\n, $d::DATE")).toEqual(['a', 'd']);
  });
});

function readFileSyncFirstLine(file: string): string[] {
  return readFileSync(queryPath(file), 'utf8').split(/\r?\n/)[0]!.split(',');
}

describe('column_mapping.csv (異動事由 → 集計列)', () => {
  const rules = readColumnMapping();
  const ruleFor = (reason: string, detail = '', shubetsu = '') => rules.find((r) => r.異動事由 === reason && r.異動事由詳細 === detail && r.住民種別 === shubetsu)?.集計列;

  it('says what nenpo.md §3 says', () => {
    expect(ruleFor('国内転入')).toBe('転入者数（国内）');
    expect(ruleFor('国外転入等')).toBe('転入者数（国外）');
    expect(ruleFor('国外転入等', '30条の47届出')).toBe('その他記載（その他）');
    expect(ruleFor('職権記載（帰化等）', '', '日本人')).toBe('その他記載（帰化等）');
    expect(ruleFor('職権記載（国籍喪失）', '', '外国人')).toBe('その他記載（国籍喪失）');
    expect(ruleFor('職権消除（国籍喪失）', '', '日本人')).toBe('その他消除（国籍喪失）');
    expect(ruleFor('職権消除（帰化等）', '', '外国人')).toBe('その他消除（帰化等）');
    expect(ruleFor('異動の取消し（増）')).toBe('その他記載（その他）');
    expect(ruleFor('異動の取消し（減）')).toBe('その他消除（その他）');
    expect(ruleFor('改製')).toBe('数えない');
    expect(ruleFor('再製')).toBe('数えない');
    expect(ruleFor('転居')).toBe('区間移動');
  });

  it('covers every 記載 and 消除 reason of the master', () => {
    const master = readFileSync(queryPath('master/ido_jiyu.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const [name, kind] of master) {
      if (kind === '記載' || kind === '消除' || kind === '記載・消除') expect(rules.some((r) => r.異動事由 === name), name).toBe(true);
    }
  });

  it('rejects a broken table naming the line', () => {
    const bad = path.join(tmp.dir, 'bad.csv');
    writeFileSync(bad, '異動事由,異動事由詳細,住民種別,集計列,説明\n国内転入,,,転入者数,\n転居,,,区間移動,\n転居,,,数えない,\n');
    expect(() => readColumnMapping(bad)).toThrow(/2行目: 集計列「転入者数」/);
    expect(() => readColumnMapping(bad)).toThrow(/4行目: 3行目と同じ条件/);
  });
});
