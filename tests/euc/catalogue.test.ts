// The EUC catalogue (queries/euc): every extract's metadata is valid and matches its SQL, the
// default keywords resolve as documented, and parameter validation refuses bad values with a
// Japanese ParamError naming the parameter, the value and what was expected.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, ExtractMetaSchema, extractSql, getExtract } from '../../src/euc/catalogue.ts';
import { DATE_KEYWORDS, ParamError, paramsForForm, resolveDate, resolvedDefaults, validateParams } from '../../src/euc/params.ts';
import { queryPath } from '../../src/store/db.ts';

const ext = (id: string) => {
  const def = getExtract(id);
  if (!def) throw new Error(`no extract ${id}`);
  return def;
};

function paramError(fn: () => unknown): ParamError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParamError) return e;
    throw e;
  }
  throw new Error('expected a ParamError');
}

describe('catalogue', () => {
  it('holds the eleven standard extracts of euc.md §1 and the monthly survey (12, issue #5), sorted by id', () => {
    const defs = catalogue();
    expect(defs.map((d) => d.id)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
    expect(defs.filter((d) => d.kind === 'persons').map((d) => d.id)).toEqual(['10', '11']);
    expect(ext('01').title).toBe('町丁字別 男女別 人口・世帯数');
    expect(ext('09').title).toBe('月末人口 推移');
    expect(ext('11').title).toBe('無作為抽出');
  });

  it('pairs every NN_ query with its metadata, and every metadata file with a query', () => {
    const files = readdirSync(queryPath('euc'));
    const sql = files.filter((f) => /^\d{2}_.*\.sql$/.test(f)).map((f) => f.replace(/\.sql$/, ''));
    const meta = files.filter((f) => f.endsWith('.meta.json')).map((f) => f.replace(/\.meta\.json$/, ''));
    expect(meta.sort()).toEqual(sql.sort());
    for (const f of files.filter((f) => f.endsWith('.meta.json'))) {
      expect(ExtractMetaSchema.safeParse(JSON.parse(readFileSync(queryPath(`euc/${f}`), 'utf8'))).success, f).toBe(true);
    }
  });

  it('has charts where the spec asks for one: a pyramid, line charts and a nationality bar chart', () => {
    expect(ext('02').chart).toEqual({ kind: 'pyramid', age: '年齢', sex: '性別', value: '人口' });
    expect(ext('04').chart).toEqual({ kind: 'bar', x: '国籍・地域', y: '人数', series: '内訳' });
    expect(ext('07').chart?.kind).toBe('line');
    expect(ext('09').chart).toEqual({ kind: 'line', x: '年月', y: '総数' });
  });

  it('person lists bind $include_shien and carry a hidden 住民種別 for 西暦 birth dates of foreigners', () => {
    for (const id of ['10', '11']) {
      const def = ext(id);
      expect(extractSql(def)).toContain('$include_shien');
      expect(def.hidden).toEqual(['住民種別']);
      expect(def.columns.find((c) => c.name === '生年月日')?.dateStyle).toBe('seireki-if-foreign');
      expect(def.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['宛名番号', '氏名', '氏名カナ', '生年月日', '性別', '住所', '方書', '世帯番号', '続柄']));
    }
    for (const def of catalogue().filter((d) => d.kind === 'aggregate')) expect(extractSql(def)).not.toContain('include_shien');
  });

  it('reads the register only through the as-of layer', () => {
    for (const def of catalogue()) {
      const sql = extractSql(def).replace(/--[^\n]*/g, '');
      expect(/residents_asof|changes_in/.test(sql), def.id).toBe(true);
      expect(/\bFROM\s+history\b|\bJOIN\s+history\b/i.test(sql), def.id).toBe(false);
    }
  });
});

describe('default keywords', () => {
  it('resolve against processedThrough as documented in src/euc/params.ts', () => {
    const at = (p: string) => Object.fromEntries(Object.keys(DATE_KEYWORDS).map((k) => [k, resolveDate(k, p)]));
    expect(at('2024-12-31')).toEqual({
      processedThrough: '2024-12-31', snapshot: '2025-01-01', snapshotMonthStart: '2025-01-01',
      lastMonthStart: '2024-12-01', lastMonthEnd: '2024-12-31', last12MonthsStart: '2024-01-01', last12MonthsEnd: '2024-12-31',
      lastYearStart: '2024-01-01', lastYearEnd: '2024-12-31', periodStart: '2024-01-01', periodEnd: '2024-12-31',
      lastFiscalYearStart: '2023-04-01', lastFiscalYearEnd: '2024-03-31', next12MonthsStart: '2025-01-01', next12MonthsEnd: '2025-12-31',
    });
    // A snapshot in the middle of a month: the last complete month is the previous one.
    expect(at('2025-03-15')).toMatchObject({
      snapshot: '2025-03-16', snapshotMonthStart: '2025-03-01', lastMonthStart: '2025-02-01', lastMonthEnd: '2025-02-28',
      last12MonthsStart: '2024-03-01', last12MonthsEnd: '2025-02-28', lastYearStart: '2024-01-01', lastYearEnd: '2024-12-31',
      lastFiscalYearStart: '2023-04-01', lastFiscalYearEnd: '2024-03-31', next12MonthsStart: '2025-03-01', next12MonthsEnd: '2026-02-28',
    });
    expect(at('2024-03-31')).toMatchObject({ lastFiscalYearStart: '2023-04-01', lastFiscalYearEnd: '2024-03-31', lastMonthEnd: '2024-03-31' });
    expect(resolveDate('2020-02-29', '2024-12-31')).toBe('2020-02-29');
    expect(() => resolveDate('toString', '2024-12-31')).toThrow('キーワード toString はありません');
  });

  it('fill the extract defaults', () => {
    expect(resolvedDefaults(ext('07'), '2024-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(resolvedDefaults(ext('11'), '2024-12-31')).not.toHaveProperty('seed');
    const { values, shown } = validateParams(ext('01'), {}, '2024-12-31');
    expect(values).toEqual({ kijunbi: '2025-01-01' });
    expect(shown).toEqual({ 基準日: '2025-01-01（令和7年1月1日）' });
  });
});

describe('parameter validation', () => {
  const P = '2024-12-31';

  it('accepts good values, keywords and numeric text', () => {
    const { values, shown } = validateParams(ext('10'), { kijunbi: 'lastYearStart', age_from: '65', age_to: 130, chiku: ' 02 ', jushu: '日本人' }, P);
    expect(values).toEqual({ kijunbi: '2024-01-01', age_from: 65, age_to: 130, chiku: '02', jushu: '日本人' });
    expect(shown).toMatchObject({ '年齢（から）': '65', 地区コード: '02', 住民種別: '日本人' });
    expect(validateParams(ext('10'), { chiku: '' }, P).shown.地区コード).toBe('（指定なし）');
    expect(validateParams(ext('07'), { from: '', to: null }, P).values).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('refuses unknown parameters', () => {
    const e = paramError(() => validateParams(ext('01'), { kijunbi: '2024-01-01', include_shien: true }, P));
    expect(e.param).toBe('include_shien');
    expect(e.message).toContain('「include_shien」');
    expect(e.message).toContain('このパラメータはありません');
  });

  it('refuses impossible dates, dates after the snapshot for a period, and a period ending before it starts', () => {
    let e = paramError(() => validateParams(ext('01'), { kijunbi: '2023-02-29' }, P));
    expect(e).toMatchObject({ param: 'kijunbi', label: '基準日', value: '2023-02-29' });
    expect(e.message).toBe('「基準日」の値 「2023-02-29」 は使えません: YYYY-MM-DD の形の、暦にある日付を指定してください');
    e = paramError(() => validateParams(ext('01'), { kijunbi: 'toString' }, P));
    expect(e.expected).toContain('暦にある日付');
    e = paramError(() => validateParams(ext('01'), { kijunbi: 20240101 }, P));
    expect(e.expected).toContain('YYYY-MM-DD');
    e = paramError(() => validateParams(ext('01'), { kijunbi: '2025-01-02' }, P));
    expect(e.expected).toBe('スナップショットの基準日（処理済み日の翌日） 2025-01-01 以前の日付を指定してください');
    e = paramError(() => validateParams(ext('07'), { to: '2025-01-01' }, P));
    expect(e.label).toBe('期間（まで）');
    expect(e.expected).toContain('2024-12-31 以前');
    e = paramError(() => validateParams(ext('09'), { from: '2024-06-01', to: '2024-05-31' }, P));
    expect(e.param).toBe('to');
    expect(e.expected).toBe('「期間（から）」（2024-06-01）以降の日付を指定してください');
  });

  it('refuses integers out of range, non-integers, wrong choices and an inverted age range', () => {
    let e = paramError(() => validateParams(ext('10'), { age_from: 131 }, P));
    expect(e.message).toBe('「年齢（から）」の値 「131」 は使えません: 0 以上 130 以下の整数を指定してください');
    e = paramError(() => validateParams(ext('10'), { age_from: '6.5' }, P));
    expect(e.expected).toBe('整数を指定してください');
    e = paramError(() => validateParams(ext('10'), { jushu: '無国籍' }, P));
    expect(e.message).toBe('「住民種別」の値 「無国籍」 は使えません: すべて・日本人・外国人 のどれかを指定してください');
    e = paramError(() => validateParams(ext('10'), { age_from: 70, age_to: 65 }, P));
    expect(e.param).toBe('age_to');
    expect(e.expected).toContain('以上を指定してください');
  });

  it('refuses text that is missing, malformed or too long', () => {
    let e = paramError(() => validateParams(ext('11'), {}, P));
    expect(e.param).toBe('seed');
    expect(e.message).toBe('「シード」の値 （空） は使えません: 指定してください');
    e = paramError(() => validateParams(ext('11'), { seed: '   ' }, P));
    expect(e.expected).toBe('指定してください');
    e = paramError(() => validateParams(ext('02'), { chocho: '0139100100' }, P));
    expect(e.expected).toContain('11桁の住所コード');
    e = paramError(() => validateParams(ext('10'), { chiku: 'x'.repeat(21) }, P));
    expect(e.expected).toBe('20 文字以内で指定してください');
    e = paramError(() => validateParams(ext('10'), { chiku: { a: 1 } }, P));
    expect(e.expected).toBe('文字列を指定してください');
  });
});

describe('parameters for a form', () => {
  it('resolve every date keyword (default, min, max)', () => {
    const [from, to] = paramsForForm(getExtract('07')!, '2024-12-31');
    expect(from).toMatchObject({ name: 'from', type: 'date', default: '2024-01-01' });
    expect(to).toMatchObject({ name: 'to', type: 'date', default: '2024-12-31', max: '2024-12-31', notBefore: 'from' });
    expect(paramsForForm(getExtract('10')!, '2024-12-31')[1]).toEqual(getExtract('10')!.params[1]);
  });
});
