// CP932 (Windows-31J) output for CSV downloads: iconv-lite's encoder behind a checker that maps the
// usual JIS/Unicode look-alikes (〜→～ …), writes 外字 (U+E000–E757) to the user-defined area F040–F9FC,
// and turns every other character CP932 cannot hold into 〓 with a report — never iconv-lite's silent '?'.
import iconv from 'iconv-lite';
import { codePointLabel } from './cells.ts';
import { UNMAPPABLE_LIST_LIMIT, type Unmappable } from './types.ts';

/**
 * Characters whose JIS X 0208 / 0201 reading maps to a different Unicode code point than CP932's:
 * written as the CP932 one. ¥ and ‾ (JIS X 0201 Roman) are added to the contract's list because
 * iconv-lite writes them as 0x5C / 0x7E, which read back as `\` and `~`.
 */
export const CP932_LOOKALIKES: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 WAVE DASH → ～ FULLWIDTH TILDE
  '\u2212': '\uFF0D', // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
  '\u2014': '\u2015', // — EM DASH → ― HORIZONTAL BAR
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u00A5': '\uFFE5', // ¥ → ￥
  '\u203E': '\uFFE3', // ‾ OVERLINE → ￣ FULLWIDTH MACRON
};

/** Written in place of a character CP932 cannot hold. */
export const GETA = '\u3013'; // 〓

const OK = 1, LOOKALIKE = 2, PUA = 3, BAD = 4;
const state = new Uint8Array(0x10000); // per UTF-16 unit; 0 = not looked at yet
const decoder = new TextDecoder('shift_jis');

function classify(c: number): number {
  if (c < 0x80) return OK;
  if (c >= 0xe000 && c <= 0xe757) return PUA;
  if (c >= 0xd800 && c <= 0xdfff) return BAD; // surrogates: CP932 has nothing outside the BMP
  const ch = String.fromCharCode(c);
  if (CP932_LOOKALIKES[ch] !== undefined) return LOOKALIKE;
  const bytes = iconv.encode(ch, 'cp932');
  // iconv-lite writes '?' for what it cannot encode and best-fit bytes for a few others: only a
  // character that decodes back to itself is really in CP932.
  return decoder.decode(bytes) === ch ? OK : BAD;
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/**
 * Checks and encodes text for a CP932 file, collecting what could not be written.
 * Variation selectors (異体字 IVS) are reported but dropped rather than written as 〓, since the base
 * character is kept.
 *
 * @example
 * const enc = new Cp932Encoder();
 * const text = enc.map('髙橋〜𠮷', 1, '氏名'); // '髙橋～〓'
 * const bytes = enc.encode(text);              // CP932 bytes
 * enc.unmappable;                              // [{ row: 1, column: '氏名', char: '𠮷', codePoint: 'U+20BB7' }]
 */
export class Cp932Encoder {
  /** The first UNMAPPABLE_LIST_LIMIT characters that were written as 〓 (or dropped). */
  readonly unmappable: Unmappable[] = [];
  /** How many there were in all. */
  unmappableTotal = 0;

  /** Returns `text` with look-alikes mapped and unencodable characters replaced, recording each one. */
  map(text: string, row: number, column: string): string {
    let out = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) continue;
      let st = state[c]!;
      if (st === 0) st = state[c] = classify(c);
      if (st === OK || st === PUA) continue;
      out += text.slice(from, i);
      if (st === LOOKALIKE) {
        out += CP932_LOOKALIKES[text[i]!]!;
        from = i + 1;
        continue;
      }
      let len = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) len = 2;
      }
      const ch = text.slice(i, i + len);
      this.record(row, column, ch);
      if (!isVariationSelector(ch.codePointAt(0)!)) out += GETA;
      i += len - 1;
      from = i + 1;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  private record(row: number, column: string, char: string): void {
    this.unmappableTotal++;
    if (this.unmappable.length < UNMAPPABLE_LIST_LIMIT) this.unmappable.push({ row, column, char, codePoint: codePointLabel(char) });
  }

  /** Encodes text already passed through `map` (外字 U+E000–E757 → F040–F9FC, the rest by iconv-lite). */
  encode(text: string): Buffer {
    if (!/[\uE000-\uE757]/.test(text)) return iconv.encode(text, 'cp932');
    const parts: Buffer[] = [];
    const pieces = text.split(/([\uE000-\uE757]+)/);
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p]!;
      if (p % 2 === 0) {
        if (piece) parts.push(iconv.encode(piece, 'cp932'));
        continue;
      }
      const b = Buffer.allocUnsafe(piece.length * 2);
      for (let i = 0; i < piece.length; i++) {
        const k = piece.charCodeAt(i) - 0xe000, r = k % 188;
        b[2 * i] = 0xf0 + Math.floor(k / 188);
        b[2 * i + 1] = r < 63 ? 0x40 + r : 0x80 + (r - 63);
      }
      parts.push(b);
    }
    return Buffer.concat(parts);
  }
}
