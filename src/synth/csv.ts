// CSV lines for 住民.csv / 異動履歴.csv, and a file sink that hashes, writes and counts encoded rows.
export { encodeCp932 };
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { fmt } from './dates.ts';
import { encodeCp932 } from './cp932.ts';
import type { Row } from './person.ts';

export const RESIDENT_HEADER = ['宛名番号', '世帯番号', '住民種別', '住民状態', '氏名', '氏名カナ', '氏名英字', '通称', '生年月日', '生年月日不詳', '性別', '続柄', '住民となった年月日', '住所コード', '住所', '方書', '郵便番号', '地区コード', '住定日', '転入前住所コード', '転入前住所', '転出予定年月日', '転出先住所コード', '転出先住所', '消除年月日', '消除事由', '国籍・地域', '法30条45区分', '在留資格', '在留期間', '在留期間満了日', '在留カード等番号', '支援措置'];
export const HISTORY_HEADER = ['宛名番号', '履歴番号', '異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号', '住居地届出区分', ...RESIDENT_HEADER.slice(1)];

export type Encoding = 'UTF-8' | 'CP932';

/** RFC 4180 quoting, only when needed. */
export function esc(s: string): string {
  if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * The state columns joined (世帯番号 … 支援措置). Every text the generator writes comes from tables
 * checked once by assertCsvSafe, so no field needs quotes and a plain join is enough.
 */
export function stateCsv(st: readonly string[]): string {
  return st.join(',');
}

/** Throw if a table text would need CSV quoting (it would then have to be quoted on every row). */
export function assertCsvSafe(texts: readonly string[]): void {
  for (const t of texts) if (esc(t) !== t) throw new Error(`generator text needs CSV quoting: ${JSON.stringify(t)}`);
}

export function historyLine(id: string, no: number, r: Row, tail: string): string {
  return `${id},${no},${r.reason},${esc(r.detail)},${fmt(r.a)},${fmt(r.p)},${r.notif},${r.cancelT || ''},${r.fixT || ''},${r.kubun},${tail}\r\n`;
}

/** A CSV file being written: takes encoded chunks, hashes and writes them, and counts the data rows. */
export class Sink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  rows = 0;

  constructor(readonly path: string, encoding: Encoding, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    const head = header.join(',') + '\r\n';
    this.write(encoding === 'UTF-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(head, 'utf8')]) : encodeCp932(head));
  }

  /** Append encoded data rows. */
  chunk(bytes: Uint8Array, rows: number): void {
    this.write(bytes);
    this.rows += rows;
  }

  private write(b: Uint8Array): void {
    this.hash.update(b);
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  /** Finish the file; returns its data row count and sha256. */
  close(): { rows: number; sha256: string } {
    closeSync(this.fd);
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }
}
