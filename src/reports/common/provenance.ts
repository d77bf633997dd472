// What every report output records about how it was made (nenpo.md §6, style.md §8): the
// municipality, the snapshot (processedThrough), the query version, the parameters and the time.
// The CSV files carry none of it (so the same snapshot and parameters give the same bytes); it is
// written to 出力情報.txt beside them and to the workbook's 出力情報 sheet.
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runQuery } from './queries.ts';

export interface Snapshot {
  loadId: number;
  municipalityCode: string;
  municipalityName: string;
  prefectureName: string;
  processedThrough: string;
  packageFingerprint: string;
}

/**
 * The store's latest snapshot; throws when the store holds none.
 * @example const snap = await latestSnapshot(conn); // snap.processedThrough === '2022-01-31'
 */
export async function latestSnapshot(conn: DuckDBConnection): Promise<Snapshot> {
  const [row] = await runQuery<{
    load_id: number; municipality_code: string; municipality_name: string; processed_through: string; package_fingerprint: string; prefecture_name: string | null;
  }>(conn, 'report/snapshot.sql');
  if (!row) throw new Error('ストアにスナップショットがありません。先に juki load で取り込んでください。');
  return {
    loadId: row.load_id,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    prefectureName: row.prefecture_name ?? '',
    processedThrough: row.processed_through,
    packageFingerprint: row.package_fingerprint,
  };
}

export interface Provenance {
  report: string;
  municipalityCode: string;
  municipalityName: string;
  processedThrough: string;
  loadId: number;
  queryVersion: string;
  parameters: Record<string, string>;
  /** Same snapshot + query version + parameters → same key → same CSV bytes. */
  resultKey: string;
  createdAt: string;
  checks?: string;
  warnings: string[];
  files: { name: string; sha256: string }[];
}

/**
 * The content address of a result: sha256 of (report, municipality, snapshot, query version, parameters).
 * @example resultKey('nenpo', snap, version, { year: '2022', bom: 'false' }) // 64 hex digits
 */
export function resultKey(report: string, snap: Snapshot, queryVersion: string, parameters: Record<string, string>): string {
  const canonical = JSON.stringify([report, snap.municipalityCode, snap.processedThrough, queryVersion,
    Object.keys(parameters).sort().map((k) => [k, parameters[k]])]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Now in Japan time, ISO 8601 with +09:00.
 * @example nowJst() // '2024-02-01T03:00:00+09:00'
 */
export function nowJst(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
}

/**
 * Hex sha256 of a text or bytes.
 * @example sha256('a') // 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'
 */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Key/value lines for 出力情報.txt and the 出力情報 sheet.
 * @example provenanceEntries(p)[0] // ['報告', '住民基本台帳関係年報 2022年…']
 */
export function provenanceEntries(p: Provenance): [string, string][] {
  return [
    ['報告', p.report],
    ['団体', `${p.municipalityCode} ${p.municipalityName}`],
    ['スナップショット（processedThrough）', p.processedThrough],
    ['取り込み番号（load_id）', String(p.loadId)],
    ['パラメータ', Object.entries(p.parameters).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['クエリ版（queries の sha256）', p.queryVersion],
    ['結果キー（同じなら CSV は同じバイト列）', p.resultKey],
    ['作成日時', p.createdAt],
    ...(p.checks ? [['整合性チェック', p.checks] as [string, string]] : []),
    ...p.warnings.map((w) => ['注意', w] as [string, string]),
    ...p.files.map((f) => [`ファイル ${f.name}`, `sha256 ${f.sha256}`] as [string, string]),
  ];
}

/**
 * The text of 出力情報.txt (UTF-8, CRLF).
 * @example await writeFileAtomic('out/出力情報.txt', provenanceText(p));
 */
export function provenanceText(p: Provenance): string {
  return `${provenanceEntries(p).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n`;
}
