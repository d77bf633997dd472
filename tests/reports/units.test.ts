// Small pure functions of the reports: rates (half up to 3 decimals), CSV quoting, designated-city
// codes and ward names, template anchors, the golden helper's -changed.csv.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rate } from '../../src/reports/nenpo/tables.ts';
import { toCsv } from '../../src/reports/common/csv.ts';
import { areasOf, isDesignatedCity, wardName } from '../../src/reports/nenpo/areas.ts';
import { parseAnchor } from '../../src/reports/common/xlsx-template.ts';
import { TABLE1_COLUMNS, AGE_BANDS } from '../../src/reports/nenpo/columns.ts';
import { parseFormats } from '../../src/cli/report.ts';
import { expectGolden } from './helpers/golden.ts';
import { tempDir } from './helpers/store.ts';

const tmp = tempDir('units');
afterAll(() => tmp.cleanup());

describe('rate', () => {
  it('is count ÷ base × 100, rounded half up (away from zero) to 3 decimals', () => {
    expect(rate(-2, 21)).toBe('-9.524');
    expect(rate(1, 31)).toBe('3.226');
    expect(rate(3, 10)).toBe('30.000');
    expect(rate(0, 31)).toBe('0.000');
    expect(rate(1, 8)).toBe('12.500');
    expect(rate(1, 16_000)).toBe('0.006'); // 0.00625 → 0.006 (not half)
    expect(rate(1, 80_000)).toBe('0.001'); // 0.00125 → 0.001
    expect(rate(1, 200_000)).toBe('0.001'); // 0.0005 exactly → half up
    expect(rate(-1, 200_000)).toBe('-0.001');
    expect(rate(-1, 300_000)).toBe('0.000'); // −0.00033 → no negative zero
    expect(rate(5, 0)).toBe('');
    expect(rate(3_800_000, 3_700_000)).toBe('102.703');
  });
});

describe('columns', () => {
  it('Table 1 has 25 / 31 / 29 columns and 21 age bands', () => {
    expect(TABLE1_COLUMNS.total).toHaveLength(25);
    expect(TABLE1_COLUMNS.jp).toHaveLength(31);
    expect(TABLE1_COLUMNS.fr).toHaveLength(29);
    expect(AGE_BANDS).toHaveLength(21);
    expect(AGE_BANDS[1]![0]).toBe('5歳～9歳');
  });
});

describe('csv', () => {
  it('quotes only when needed, CRLF by default, BOM on request', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 'say "hi"']])).toBe('a,b\r\n1,"x,y"\r\n,"say ""hi"""\r\n');
    expect(toCsv(['a'], [], { bom: true, eol: '\n' })).toBe('\uFEFFa\n');
  });
  it('--format parses a list', () => {
    expect(parseFormats('xlsx,csv')).toEqual(['xlsx', 'csv']);
    expect(() => parseFormats('pdf')).toThrow('csv, xlsx');
  });
});

describe('designated cities', () => {
  it('are recognised by their code', () => {
    for (const code of ['011002', '141003', '141305', '141500', '271403', '401307', '431001', '471003']) expect(isDesignatedCity(code), code).toBe(true);
    for (const code of ['013854', '131016', '011011', '012025']) expect(isDesignatedCity(code), code).toBe(false);
  });
  it('ward names come from the addresses', () => {
    expect(wardName(['沖縄県みほん市中央区本町1丁目', '沖縄県みほん市中央区錦町2丁目', 'みほん市北区x'], '沖縄県', 'みほん市')).toBe('中央区');
    expect(wardName(['北海道札幌市中央区北1条西2丁目'], '北海道', '札幌市')).toBe('中央区');
    expect(wardName(['番地のみ'], '沖縄県', 'みほん市')).toBeUndefined();
    const snap = { loadId: 1, municipalityCode: '471003', municipalityName: 'みほん市', prefectureName: '沖縄県', processedThrough: '2024-01-31', packageFingerprint: '' };
    const areas = areasOf(snap, ['47101', '47109'], new Map([['47101', ['沖縄県みほん市中央区本町']]]));
    expect(areas.map((a) => [a.code, a.name])).toEqual([['471003', 'みほん市'], ['471011', 'みほん市中央区'], ['471097', 'みほん市（区 47109）']]);
  });
});

describe('template anchors', () => {
  it('parses defined-name ranges', () => {
    expect(parseAnchor("'人口動態_総計'!$A$6")).toEqual({ sheet: '人口動態_総計', row: 6, col: 1 });
    expect(parseAnchor("Sheet1!$AB$12")).toEqual({ sheet: 'Sheet1', row: 12, col: 28 });
    expect(parseAnchor("'it''s'!$C$3:$D$4")).toEqual({ sheet: "it's", row: 3, col: 3 });
  });
});

describe('golden helper', () => {
  it('writes <name>-changed.csv next to the expected file on a mismatch (not under CI)', () => {
    const expected = path.join(tmp.dir, 'expected');
    const actual = path.join(tmp.dir, 'actual');
    mkdirSync(expected);
    mkdirSync(actual);
    writeFileSync(path.join(expected, 't.csv'), 'a\r\n1\r\n');
    writeFileSync(path.join(actual, 't.csv'), 'a\r\n2\r\n');
    const ci = process.env.CI;
    process.env.CI = 'false';
    try {
      expect(() => expectGolden(actual, expected)).toThrow();
      expect(readFileSync(path.join(expected, 't-changed.csv'), 'utf8')).toBe('a\r\n2\r\n');
      writeFileSync(path.join(actual, 't.csv'), 'a\r\n1\r\n');
      expectGolden(actual, expected);
      expect(existsSync(path.join(expected, 't-changed.csv'))).toBe(false);
      process.env.CI = 'true';
      writeFileSync(path.join(actual, 't.csv'), 'a\r\n3\r\n');
      expect(() => expectGolden(actual, expected)).toThrow();
      expect(existsSync(path.join(expected, 't-changed.csv'))).toBe(false);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });
});

describe('missing store', () => {
  it('says to load a snapshot first', async () => {
    const { runNenpo } = await import('../../src/reports/nenpo/index.ts');
    const { runZairyu } = await import('../../src/reports/zairyu/index.ts');
    const db = path.join(tmp.dir, 'none.duckdb');
    await expect(runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, 'x') })).rejects.toThrow('juki load');
    await expect(runZairyu({ db, outDir: path.join(tmp.dir, 'y') })).rejects.toThrow('juki load');
    await expect(runNenpo({ db, year: 24, outDir: path.join(tmp.dir, 'x') })).rejects.toThrow('--year');
  });
});
