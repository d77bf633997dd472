// CP932 (Windows-31J) encoder built from the platform's own Shift_JIS decoder, with 外字 (PUA) in the user-defined area.

let table: Uint16Array | null = null;

/** Priority of a lead byte when a character has several codes: JIS X 0208, then NEC row 13, then IBM, then NEC-selected IBM (as Windows encodes). */
function rank(lead: number): number {
  if (lead === 0x87) return 1;
  if (lead >= 0xfa) return 2;
  if (lead === 0xed || lead === 0xee) return 3;
  return 0;
}

/** UTF-16 code unit → CP932 code (single byte < 0x100, double byte ≥ 0x8140); 0 = none. */
function build(): Uint16Array {
  const t = new Uint16Array(0x10000);
  const dec = new TextDecoder('shift_jis', { fatal: true });
  for (let b = 0; b < 0x80; b++) t[b] = b === 0 ? 0 : b;
  for (let b = 0xa1; b <= 0xdf; b++) t[0xff61 + (b - 0xa1)] = b; // half-width katakana
  const best = new Int8Array(0x10000).fill(9);
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead > 0x9f && lead < 0xe0) continue;
    if (lead >= 0xf0 && lead <= 0xf9) continue; // user-defined area: encoded from PUA directly
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      let s: string;
      try {
        s = dec.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      if (s.length !== 1) continue;
      const c = s.charCodeAt(0);
      const r = rank(lead);
      if (r < best[c]!) {
        best[c] = r;
        t[c] = (lead << 8) | trail;
      }
    }
  }
  return t;
}

/**
 * Encode text as CP932. Private-use U+E000–U+E757 go to the user-defined area F040–F9FC; any other
 * character CP932 cannot hold throws (never a silent '?').
 */
export function encodeCp932(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2);
  return out.subarray(0, encodeCp932Into(text, out, 0));
}

/** Encode into `out` from byte `at` (room for 2 bytes per UTF-16 unit needed); returns the end offset. */
export function encodeCp932Into(text: string, out: Uint8Array, at: number): number {
  const t = (table ??= build());
  let o = at;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c >= 0xe000 && c <= 0xe757) {
      const k = c - 0xe000, r = k % 188;
      out[o++] = 0xf0 + Math.floor(k / 188);
      out[o++] = r < 63 ? 0x40 + r : 0x80 + (r - 63);
      continue;
    }
    const code = t[c]!;
    if (code === 0) throw new Error(`text not representable in CP932: ${JSON.stringify(String.fromCodePoint(text.codePointAt(i)!))} (U+${c.toString(16).toUpperCase()})`);
    if (code < 0x100) out[o++] = code;
    else {
      out[o++] = code >> 8;
      out[o++] = code & 0xff;
    }
  }
  return o;
}
