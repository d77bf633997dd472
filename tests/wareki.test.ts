// 和暦 conversion and 全国地方公共団体コード check digits (src/util/wareki.ts).
import { describe, expect, it } from 'vitest';
import {
  isValidMunicipalityCode,
  municipalityCheckDigit,
  toWareki,
  warekiYear,
} from '../src/util/wareki.ts';

describe('toWareki', () => {
  it.each([
    ['2024-01-01', '令和6年1月1日', 'R6.1.1'],
    ['2019-05-01', '令和元年5月1日', 'R1.5.1'],
    ['2019-04-30', '平成31年4月30日', 'H31.4.30'],
    ['1989-01-07', '昭和64年1月7日', 'S64.1.7'],
    ['1989-01-08', '平成元年1月8日', 'H1.1.8'],
    ['1926-12-24', '大正15年12月24日', 'T15.12.24'],
    ['1926-12-25', '昭和元年12月25日', 'S1.12.25'],
    ['1912-07-29', '明治45年7月29日', 'M45.7.29'],
    ['1912-07-30', '大正元年7月30日', 'T1.7.30'],
    ['1873-01-01', '明治6年1月1日', 'M6.1.1'],
    ['1872-12-31', '1872年12月31日', '1872.12.31'],
    ['2000-02-29', '平成12年2月29日', 'H12.2.29'],
    ['2024-12-31', '令和6年12月31日', 'R6.12.31'],
  ])('%s → %s / %s', (iso, kanji, short) => {
    expect(toWareki(iso)).toBe(kanji);
    expect(toWareki(iso, { style: 'kanji' })).toBe(kanji);
    expect(toWareki(iso, { style: 'short' })).toBe(short);
  });

  it('reads a Date by its UTC parts, whatever the local time zone', () => {
    expect(toWareki(new Date('2019-04-30T23:30:00Z'))).toBe('平成31年4月30日');
    expect(toWareki(new Date('2019-05-01T00:00:00Z'))).toBe('令和元年5月1日');
    // 2019-05-01 08:00 in Tokyo is still 2019-04-30 in UTC
    expect(toWareki(new Date('2019-05-01T08:00:00+09:00'))).toBe('平成31年4月30日');
    expect(toWareki(new Date('2019-05-01T08:59:59+09:00'), { style: 'short' })).toBe('H31.4.30');
    expect(toWareki(new Date(Date.UTC(1989, 0, 8)))).toBe('平成元年1月8日');
  });

  it.each(['2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', '令和6年1月1日', ''])(
    'rejects %j',
    (bad) => {
      expect(() => toWareki(bad)).toThrow(RangeError);
    },
  );

  it('rejects an invalid Date', () => {
    expect(() => toWareki(new Date('nope'))).toThrow(RangeError);
  });
});

describe('warekiYear', () => {
  it.each([
    [[2022], '令和4年'],
    [[2024], '令和6年'],
    [[2019], '令和元年'],
    [[2019, 4], '平成31年'],
    [[2019, 5], '令和元年'],
    [[2019, 4, 30], '平成31年'],
    [[2019, 5, 1], '令和元年'],
    [[1989], '平成元年'],
    [[1989, 1], '平成元年'],
    [[1989, 1, 7], '昭和64年'],
    [[1989, 1, 8], '平成元年'],
    [[1988], '昭和63年'],
    [[1926], '昭和元年'],
    [[1926, 12, 24], '大正15年'],
    [[1912], '大正元年'],
    [[1912, 7, 29], '明治45年'],
    [[1873], '明治6年'],
    [[1872], '1872年'],
  ] as const)('%j → %s', (args, expected) => {
    const [y, m, d] = args as readonly number[];
    expect(warekiYear(y!, m, d)).toBe(expected);
  });

  it('rejects impossible months and days', () => {
    expect(() => warekiYear(2024, 13)).toThrow(RangeError);
    expect(() => warekiYear(2023, 2, 29)).toThrow(RangeError);
    expect(() => warekiYear(2024.5)).toThrow(RangeError);
    expect(() => warekiYear(2024, undefined, 1)).toThrow(RangeError);
  });
});

describe('全国地方公共団体コード', () => {
  it.each([
    ['01385', '4'], // remainder 7
    ['01400', '1'], // remainder 10
    ['01101', '1'], // remainder 0 → 11 → 1
    ['01107', '0'], // remainder 1 → 10 → 0
    ['13101', '6'], // 千代田区 131016
    ['27100', '4'], // 大阪市 271004
  ])('check digit of %s is %s', (code5, digit) => {
    expect(municipalityCheckDigit(code5)).toBe(digit);
    expect(isValidMunicipalityCode(code5 + digit)).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    for (const d of '0123456789') {
      expect(isValidMunicipalityCode(`01385${d}`)).toBe(d === '4');
    }
  });

  // 003859 and 483851 carry a correct check digit but no prefecture 00 or 48 exists
  it.each(['01385', '0138540', '01385a', '０１３８５４', ' 013854', '', '003859', '483851'])(
    'isValidMunicipalityCode(%j) is false',
    (code) => {
      expect(isValidMunicipalityCode(code)).toBe(false);
    },
  );

  it('municipalityCheckDigit wants exactly five ASCII digits', () => {
    expect(() => municipalityCheckDigit('0138')).toThrow(RangeError);
    expect(() => municipalityCheckDigit('013854')).toThrow(RangeError);
    expect(() => municipalityCheckDigit('０１３８５')).toThrow(RangeError);
  });
});
