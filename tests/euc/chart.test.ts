// EUC result charts (src/euc/chart.ts): vega-lite specs per kind and server-side SVG rendering.
import { describe, expect, it } from 'vitest';
import { chartSpec, renderChartSvg, type CellValue, type ChartDef } from '../../src/euc/chart.ts';

/** The inline data values of a generated spec. */
function dataValues(spec: object): Record<string, unknown>[] {
  return (spec as { data: { values: Record<string, unknown>[] } }).data.values;
}

const PYRAMID: ChartDef = { kind: 'pyramid', age: '年齢', sex: '性別', value: '人口' };
const PYRAMID_COLUMNS = ['年齢', '性別', '人口'];

/** 5-year bands youngest first, with 計 rows per band and a 総数 row, as the extracts produce. */
function bandRows(): CellValue[][] {
  const bands = Array.from({ length: 20 }, (_, i) => `${i * 5}～${i * 5 + 4}歳`).concat('100歳以上');
  const rows: CellValue[][] = [['総数', '計', 123_456n]];
  bands.forEach((band, i) => {
    const men = 3000 - i * 120;
    const women = 3100 - i * 110;
    rows.push([band, '男', BigInt(men)], [band, '女', BigInt(women)], [band, '計', BigInt(men + women)]);
  });
  return rows;
}

describe('pyramid', () => {
  it('puts men left as negative bars and skips totals rows', () => {
    const spec = chartSpec(PYRAMID, PYRAMID_COLUMNS, bandRows(), '人口ピラミッド');
    const values = dataValues(spec);
    expect(values).toHaveLength(42); // 21 bands × 男/女; no 計, no 総数
    for (const v of values) {
      expect(['男', '女']).toContain(v['sex']);
      expect(typeof v['value']).toBe('number'); // bigint converted
      if (v['sex'] === '男') expect(v['value']).toBeLessThan(0);
      else expect(v['value']).toBeGreaterThan(0);
    }
    expect(values.find((v) => v['age'] === '0～4歳' && v['sex'] === '男')?.['value']).toBe(-3000);
    expect(values.some((v) => v['age'] === '総数')).toBe(false);
  });

  it('sorts the age axis oldest at the top, keeping the row order otherwise', () => {
    const spec = chartSpec(PYRAMID, PYRAMID_COLUMNS, bandRows(), 't') as { encoding: { y: { sort: string[] } } };
    const sort = spec.encoding.y.sort;
    expect(sort[0]).toBe('100歳以上');
    expect(sort[1]).toBe('95～99歳');
    expect(sort.at(-1)).toBe('0～4歳');
    // Rows already oldest first keep their order.
    const desc = bandRows().slice(1).reverse();
    const spec2 = chartSpec(PYRAMID, PYRAMID_COLUMNS, desc, 't') as { encoding: { y: { sort: string[] } } };
    expect(spec2.encoding.y.sort[0]).toBe('100歳以上');
  });

  it('renders an SVG with the title, 男/女 and absolute-value axis labels', async () => {
    const svg = await renderChartSvg(PYRAMID, PYRAMID_COLUMNS, bandRows(), '人口ピラミッド（令和7年1月1日現在）');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('人口ピラミッド（令和7年1月1日現在）');
    expect(svg).toContain('>男<');
    expect(svg).toContain('>女<');
    expect(svg).toContain('100歳以上');
    expect(svg).toContain('3,000'); // thousands separators
    expect(svg).not.toMatch(/>[-\u2212][\d,]+</); // men's side labelled with absolute values (d3 writes U+2212)
    expect(svg).toContain('IPAexGothic');
  });

  it('renders a 100-row single-year pyramid in under a second', async () => {
    const rows: CellValue[][] = [];
    for (let age = 0; age < 50; age++) rows.push([age, '男', 500 - age], [age, '女', 510 - age]);
    expect(rows).toHaveLength(100);
    const start = performance.now();
    const svg = await renderChartSvg(PYRAMID, PYRAMID_COLUMNS, rows, '各歳別人口');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(svg).toContain('各歳別人口');
  });
});

describe('line', () => {
  const def: ChartDef = { kind: 'line', x: '年月', y: '人口', series: '住民種別' };
  const columns = ['年月', '住民種別', '人口'];
  const rows: CellValue[][] = [];
  for (let m = 1; m <= 12; m++) {
    const ym = `2025-${String(m).padStart(2, '0')}`;
    rows.push([ym, '日本人', 50_000n - BigInt(m * 20)], [ym, '外国人', 3000 + m * 15]);
  }

  it('draws one line per series on a month time axis', async () => {
    const spec = chartSpec(def, columns, rows, '月別人口の推移');
    const values = dataValues(spec);
    expect(values).toHaveLength(24);
    expect(new Set(values.map((v) => v['series']))).toEqual(new Set(['日本人', '外国人']));
    const svg = await renderChartSvg(def, columns, rows, '月別人口の推移');
    expect(svg).toContain('月別人口の推移');
    expect(svg).toContain('日本人');
    expect(svg).toContain('外国人');
    expect(svg).toContain('2025-01');
    expect(svg).toContain('49,980');
  });

  it('accepts YYYY-MM-DD dates and charts without a series', async () => {
    const daily: CellValue[][] = [['2025-01-31', 10], ['2025-02-28', 12], ['2025-03-31', 9]];
    const svg = await renderChartSvg({ kind: 'line', x: '基準日', y: '件数' }, ['基準日', '件数'], daily, '月末件数');
    expect(svg).toContain('月末件数');
    expect(svg).toContain('2025-02');
  });
});

describe('bar', () => {
  const nations = ['中国', 'ベトナム', '韓国', 'フィリピン', 'ブラジル', 'ネパール', 'インドネシア', '米国', '台湾', 'タイ',
    'ミャンマー', 'スリランカ', 'ペルー', 'インド', 'バングラデシュ', '英国', 'フランス', 'モンゴル', 'パキスタン', 'カナダ'];
  const columns = ['国籍・地域', '性別', '人数'];
  const def: ChartDef = { kind: 'bar', x: '国籍・地域', y: '人数', series: '性別' };
  // Reversed so that row order is not already the total order.
  const rows: CellValue[][] = nations
    .map((n, i): CellValue[][] => [[n, '男', 1000 - i * 45], [n, '女', 900 - i * 40]])
    .reverse()
    .flat();

  it('keeps the top 15 by total and folds the rest into その他', () => {
    const spec = chartSpec(def, columns, rows, '国籍・地域別') as { encoding: { y: { sort: string[] } } };
    const order = spec.encoding.y.sort;
    expect(order).toEqual([...nations.slice(0, 15), 'その他']);
    const values = dataValues(spec);
    const other = values.filter((v) => v['category'] === 'その他');
    const expectedMen = nations.slice(15).reduce((s, _n, j) => s + 1000 - (j + 15) * 45, 0);
    expect(other.find((v) => v['series'] === '男')?.['y']).toBe(expectedMen);
    expect(values.some((v) => v['category'] === '英国')).toBe(false);
  });

  it('does not fold 15 or fewer categories and skips a 計 row', () => {
    const few: CellValue[][] = [['計', 300], ['韓国', 100], ['中国', 200]];
    const spec = chartSpec({ kind: 'bar', x: '国籍・地域', y: '人数' }, ['国籍・地域', '人数'], few, 't') as {
      encoding: { y: { sort: string[] } };
    };
    expect(spec.encoding.y.sort).toEqual(['中国', '韓国']);
  });

  it('renders stacked bars with nationality labels', async () => {
    const svg = await renderChartSvg(def, columns, rows, '国籍・地域別外国人住民数');
    expect(svg).toContain('国籍・地域別外国人住民数');
    expect(svg).toContain('中国');
    expect(svg).toContain('その他');
    expect(svg).toContain('>男<');
    expect(svg).not.toContain('英国');
  });
});

describe('errors and edge cases', () => {
  it('throws naming a missing column', () => {
    expect(() => chartSpec(PYRAMID, ['年齢', '性別', '人数'], [], 't')).toThrow(/"人口"/);
    expect(() => chartSpec({ kind: 'line', x: '年月', y: '人口', series: '事由' }, ['年月', '人口'], [], 't')).toThrow(
      /column "事由"/,
    );
  });

  it('renders an empty result with a note', async () => {
    const svg = await renderChartSvg({ kind: 'bar', x: 'a', y: 'b' }, ['a', 'b'], [], '空');
    expect(svg).toContain('データがありません');
  });
});
