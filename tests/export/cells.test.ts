// Cell rules: neutralisation, dates at UTC midnight, display widths, U+XXXX labels, the hidden column,
// and the CP932 encoder's byte-level behaviour (外字 area, look-alikes, nothing ever becomes '?').
import { describe, expect, it } from 'vitest';
import { codePointLabel, dateAtUtcMidnight, displayWidth, layout, neutralise } from '../../src/export/cells.ts';
import { CP932_LOOKALIKES, Cp932Encoder } from '../../src/export/cp932.ts';

describe('neutralise', () => {
  it('prefixes text starting with = + - @ tab CR, and nothing else', () => {
    for (const s of ['=1', '+1', '-1', '@a', '\ta', '\ra']) expect(neutralise(s)).toBe(`'${s}`);
    for (const s of ['', 'a=1', ' =1', '１', '＝1', "'=1", '\na']) expect(neutralise(s)).toBe(s);
  });
});

describe('dateAtUtcMidnight', () => {
  it('parses calendar dates and rejects the rest', () => {
    expect(dateAtUtcMidnight('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(dateAtUtcMidnight('0099-01-01')?.getUTCFullYear()).toBe(99);
    for (const s of ['2023-02-29', '2024-13-01', '2024-1-1', '20240101', '', '2024-01-01T00:00']) expect(dateAtUtcMidnight(s)).toBeUndefined();
  });
});

describe('displayWidth', () => {
  it('counts CJK, full-width and 外字 as 2', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('山田 太郎')).toBe(9);
    expect(displayWidth('ｱｲｳ')).toBe(3); // half-width katakana
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('𠮷\uE000')).toBe(4);
    expect(displayWidth('ab\nabcd')).toBe(4);
  });
});

describe('codePointLabel', () => {
  it('writes U+ and at least four upper-case hex digits', () => {
    expect(codePointLabel('a')).toBe('U+0061');
    expect(codePointLabel('〜')).toBe('U+301C');
    expect(codePointLabel('𠮷')).toBe('U+20BB7');
  });
});

describe('layout', () => {
  it('drops the hidden column and checks its position', () => {
    const cols = [{ name: 'a', kind: 'text' as const }, { name: '住民種別', kind: 'text' as const }, { name: 'b', kind: 'int' as const }];
    expect(layout(cols, 1)).toMatchObject({ indices: [0, 2], columns: [cols[0], cols[2]] });
    expect(layout(cols).indices).toEqual([0, 1, 2]);
    expect(() => layout(cols, 3)).toThrow('住民種別の列位置 3 が列定義（3 列）の範囲外です。');
  });
});

describe('Cp932Encoder', () => {
  const decode = (b: Uint8Array): string => new TextDecoder('shift_jis', { fatal: true }).decode(b);

  it('maps each look-alike to a character that round-trips', () => {
    const enc = new Cp932Encoder();
    for (const [from, to] of Object.entries(CP932_LOOKALIKES)) {
      expect(enc.map(from, 1, 'c')).toBe(to);
      expect(decode(enc.encode(to))).toBe(to);
    }
    expect(enc.unmappableTotal).toBe(0);
  });

  it('encodes the whole 外字 area U+E000–U+E757 to F040–F9FC and reads it back', () => {
    const enc = new Cp932Encoder();
    const all = Array.from({ length: 0xe758 - 0xe000 }, (_, i) => String.fromCharCode(0xe000 + i)).join('');
    const bytes = enc.encode(enc.map(`a${all}b`, 1, 'c'));
    expect(bytes.length).toBe(2 + 2 * all.length);
    expect([...bytes.subarray(1, 3)]).toEqual([0xf0, 0x40]);
    expect([...bytes.subarray(-3, -1)]).toEqual([0xf9, 0xfc]);
    expect(decode(bytes)).toBe(`a${all}b`);
    expect(enc.unmappableTotal).toBe(0);
  });

  it('writes 〓 for what CP932 lacks (iconv-lite would write ? or a best-fit byte) and reports each', () => {
    const enc = new Cp932Encoder();
    const text = enc.map('é\u00A0\u0080𠮷\uD800x', 3, '住所');
    expect(text).toBe('〓〓〓〓〓x');
    expect(decode(enc.encode(text))).toBe(text);
    expect(enc.unmappable.map((u) => u.codePoint)).toEqual(['U+00E9', 'U+00A0', 'U+0080', 'U+20BB7', 'U+D800']);
    expect(enc.unmappable[0]).toEqual({ row: 3, column: '住所', char: 'é', codePoint: 'U+00E9' });
  });

  it('keeps NEC and IBM extension characters', () => {
    const enc = new Cp932Encoder();
    const text = '①Ⅰⅰ㈱髙﨑∵￤＇＂';
    expect(decode(enc.encode(enc.map(text, 1, 'c')))).toBe(text);
    expect(enc.unmappableTotal).toBe(0);
  });
});
