// The definition format "juki-extract/1": Japanese errors that name the field, the item whitelist
// (bases, operators, value types), normalisation, the canonical hash a run records, and date overrides.
import { describe, expect, it } from 'vitest';
import { ITEMS, itemCatalogue } from '../../src/wizard/items.ts';
import { ExtractSpecSchema, SpecError, parseSpec, parseSpecJson, specHash, withDates, type ExtractSpec } from '../../src/wizard/spec.ts';

const base = { format: 'juki-extract/1', title: 't', base: { kind: 'residents', asOf: 'snapshot' }, output: { kind: 'count', groupBy: [] } };

function refused(json: unknown): SpecError {
  try {
    parseSpec(json);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('parseSpec', () => {
  it('accepts the contract example and normalises values (trimmed texts, numeric ages, codes as text)', () => {
    const spec = parseSpec({
      format: 'juki-extract/1', title: ' 65歳以上の外国人 地区別・性別 ',
      base: { kind: 'residents', asOf: 'snapshot' },
      conditions: [
        { item: '年齢', op: 'between', values: ['65', 130] },
        { item: '住民種別', op: 'equals', value: '外国人' },
        { item: '国籍・地域', op: 'in', values: [' 中国', 'ベトナム'] },
        { item: '住所コード', op: 'prefix', value: '01387012' },
        { item: '地区', op: 'empty' },
      ],
      output: { kind: 'count', groupBy: ['地区', '性別'] },
    });
    expect(spec.title).toBe('65歳以上の外国人 地区別・性別');
    expect(spec.conditions[0]).toEqual({ item: '年齢', op: 'between', values: [65, 130] });
    expect(spec.conditions[2]).toEqual({ item: '国籍・地域', op: 'in', values: ['中国', 'ベトナム'] });
    expect(ExtractSpecSchema.safeParse(spec).success).toBe(true);
    // conditions may be left out
    expect(parseSpec(base).conditions).toEqual([]);
  });

  it('names the field in Japanese with its JSON path', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...base, format: 'x' }, 'format', /^形式（format）: juki-extract\/1 を指定してください$/],
      [{ ...base, title: '' }, 'title', /題名（title）: 空にはできません/],
      [{ ...base, base: { kind: 'residents' } }, 'base.asOf', /対象 の 基準日（base.asOf）: 指定してください/],
      [{ ...base, base: { kind: 'residents', asOf: '2024-02-30' } }, 'base.asOf', /暦にある日付でも、既定値のキーワード/],
      [{ ...base, conditions: [{ item: '異動事由', op: 'equals', value: '出生' }] }, 'conditions[0].item', /条件1 の 項目.*異動（期間内に効力が生じたもの）のときだけ/],
      [{ ...base, conditions: [{ item: '年齢5歳階級', op: 'equals', value: 1 }] }, 'conditions[0].op', /集計の分類だけに使えます/],
      [{ ...base, conditions: [{ item: '年齢', op: 'prefix', value: '1' }] }, 'conditions[0].op', /演算「前方一致」は使えません/],
      [{ ...base, conditions: [{ item: '年齢', op: 'between', values: [30, 20] }] }, 'conditions[0].values', /「から」（30）が「まで」（20）より大きく/],
      [{ ...base, conditions: [{ item: '年齢', op: 'between', values: [30] }] }, 'conditions[0].values', /2 つの値/],
      [{ ...base, conditions: [{ item: '性別', op: 'equals', value: 'M' }] }, 'conditions[0].value', /「性別」に「M」はありません（男・女）/],
      [{ ...base, conditions: [{ item: '住所コード', op: 'equals', value: '0139' }] }, 'conditions[0].value', /11 桁の数字/],
      [{ ...base, conditions: [{ item: '在留期間満了日', op: 'between', values: ['2025-12-31', '2025-01-01'] }] }, 'conditions[0].values', /より後/],
      [{ ...base, conditions: [{ item: '在留資格', op: 'equals', value: '  ' }] }, 'conditions[0].value', /値が空です/],
      [{ ...base, output: { kind: 'count', groupBy: ['性別', '性別'] } }, 'output.groupBy[1]', /2 回/],
      [{ ...base, output: { kind: 'count', groupBy: ['生年月日'] } }, 'output.groupBy[0]', /集計の分類には使えません/],
      [{ ...base, output: { kind: 'count', groupBy: ['性別', '地区', '年齢', '町丁字'] } }, 'output.groupBy', /3 個まで/],
      [{ ...base, output: { kind: 'count', groupBy: ['月'] } }, 'output.groupBy[0]', /異動.*のときだけ/],
      [{ ...base, extra: 1 }, '', /使えない名前の欄があります: 「extra」/],
      [{ ...base, conditions: Array(21).fill({ item: '性別', op: 'equals', value: '男' }) }, 'conditions', /20 個まで/],
    ];
    for (const [json, path, message] of cases) {
      const e = refused(json);
      expect(e.path, JSON.stringify(json)).toBe(path);
      expect(e.message).toMatch(message);
    }
  });

  it('ExtractSpecSchema gives the same Japanese messages', () => {
    const r = ExtractSpecSchema.safeParse({ ...base, conditions: [{ item: '性別', op: 'equals', value: 'M' }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/「性別」に「M」はありません/);
    expect(ExtractSpecSchema.safeParse({ ...base, title: 1 }).error?.issues[0]?.message).toBe('文字列で指定してください');
  });

  it('parseSpecJson reads a file\'s text (a BOM is fine) and refuses what is not JSON', () => {
    expect(parseSpecJson(`\uFEFF${JSON.stringify(base)}`).title).toBe('t');
    expect(() => parseSpecJson('{')).toThrow(/JSON として読めません/);
  });
});

describe('items whitelist', () => {
  it('has the items of the contract, each with the operators it allows', () => {
    const names = [...ITEMS.keys()];
    for (const n of ['年齢', '年齢5歳階級', '年齢3区分', '性別', '住民種別', '住所コード', '町丁字', '地区', '国籍・地域', '在留資格', '法30条45区分',
      '在留期間満了日', '生年月日', '住定日', '異動事由', '異動日', '届出日', '月']) expect(names).toContain(n);
    const info = itemCatalogue();
    expect(info.find((i) => i.name === '月')).toMatchObject({ ops: [], bases: ['changes'], groupable: true });
    expect(info.find((i) => i.name === '住所コード')).toMatchObject({ ops: ['equals', 'in', 'prefix'], groupable: false, codeLength: 11 });
    expect(info.find((i) => i.name === '異動事由')?.choices).toContain('国外転入等');
    expect(JSON.stringify(info)).not.toMatch(/SELECT|CASE WHEN|_age|coalesce/);
  });
});

describe('specHash and withDates', () => {
  const spec: ExtractSpec = parseSpec({ ...base, conditions: [{ item: '性別', op: 'equals', value: '男' }] });

  it('hashes the canonical definition: key order and the name do not matter, any value does', () => {
    const reordered = parseSpec({ output: base.output, conditions: [{ value: '男', op: 'equals', item: '性別' }], base: base.base, title: 't', format: 'juki-extract/1', name: 'x' });
    expect(specHash(reordered)).toBe(specHash(spec));
    expect(specHash(spec)).toMatch(/^[0-9a-f]{64}$/);
    expect(specHash(parseSpec({ ...base, conditions: [{ item: '性別', op: 'equals', value: '女' }] }))).not.toBe(specHash(spec));
  });

  it('replaces the base dates of a saved definition, refusing dates the base does not have', () => {
    expect(withDates(spec, { asOf: '2024-04-01' }).base).toEqual({ kind: 'residents', asOf: '2024-04-01' });
    expect(withDates(spec, {})).toBe(spec);
    expect(() => withDates(spec, { from: '2024-01-01' })).toThrow(/期間（から・まで）は指定できません/);
    expect(() => withDates(spec, { asOf: 'yesterday' })).toThrow(SpecError);
    const ch = parseSpec({ ...base, base: { kind: 'changes', from: 'lastYearStart', to: 'lastYearEnd' } });
    expect(withDates(ch, { to: '2024-06-30' }).base).toEqual({ kind: 'changes', from: 'lastYearStart', to: '2024-06-30' });
    expect(() => withDates(ch, { asOf: '2024-06-30' })).toThrow(/基準日は指定できません/);
  });
});
