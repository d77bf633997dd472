// Test helper: builds a snapshot package (snapshot-format.md) from compact person definitions —
// each history row is the previous row's state plus the given changes — writes 住民.csv (the state
// on the day after processedThrough, with a pending 転出's fields) and 異動履歴.csv with the mihon
// headers, UTF-8 with BOM or CP932, CRLF, and signs manifest.json (rows + sha256).
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';

/** Header of 住民.csv, exactly as the mihon package. */
export const RESIDENT_HEADER = [
  '宛名番号', '世帯番号', '住民種別', '住民状態', '氏名', '氏名カナ', '氏名英字', '通称', '生年月日', '生年月日不詳', '性別', '続柄',
  '住民となった年月日', '住所コード', '住所', '方書', '郵便番号', '地区コード', '住定日', '転入前住所コード', '転入前住所',
  '転出予定年月日', '転出先住所コード', '転出先住所', '消除年月日', '消除事由', '国籍・地域', '法30条45区分', '在留資格', '在留期間',
  '在留期間満了日', '在留カード等番号', '支援措置',
] as const;

/** Header of 異動履歴.csv, exactly as the mihon package. */
export const HISTORY_HEADER = [
  '宛名番号', '履歴番号', '異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号', '住居地届出区分',
  ...RESIDENT_HEADER.slice(1),
] as const;

export type Row = Partial<Record<(typeof HISTORY_HEADER)[number], string>>;

/** Columns that belong to one history row only (never carried to the next row). */
const PER_ROW = ['異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号', '住居地届出区分', '履歴番号'] as const;

const KIRO = new Set(['国内転入', '国外転入等', '出生', '職権記載（帰化等）', '職権記載（国籍喪失）', '職権記載', '異動の取消し（増）']);
const SHOJO = new Set(['国内転出', '国外転出', '死亡', '職権消除（帰化等）', '職権消除（国籍喪失）', '職権消除', '異動の取消し（減）']);

export interface PersonDef {
  宛名番号: string;
  /** state common to every row unless a row changes it */
  base: Row;
  /** each row: 異動事由, 異動日, 処理日 and whatever changes */
  rows: Row[];
}

export interface PackageDef {
  municipalityCode: string;
  municipalityName: string;
  processedThrough: string;
  encoding?: 'UTF-8' | 'CP932';
  persons: PersonDef[];
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Expands a person's rows into full history rows (state carried forward, 住民状態 from the reason). */
export function expandPerson(p: PersonDef): Row[] {
  const out: Row[] = [];
  let state: Row = { 宛名番号: p.宛名番号, 住民状態: '現存', 生年月日不詳: '0', 支援措置: '0', ...p.base };
  p.rows.forEach((change, i) => {
    const carried: Row = { ...state };
    for (const k of PER_ROW) delete carried[k];
    const reason = change.異動事由!;
    const row: Row = { ...carried, 履歴番号: String(i + 1), ...change };
    if (KIRO.has(reason) && change.住民状態 === undefined) {
      row.住民状態 = '現存';
      row.消除年月日 = '';
      row.消除事由 = '';
      row.転出予定年月日 = change.転出予定年月日 ?? '';
    }
    if (SHOJO.has(reason) && change.住民状態 === undefined) {
      row.住民状態 = '消除';
      row.消除年月日 = change.消除年月日 ?? change.異動日!;
      row.消除事由 = change.消除事由 ?? reason;
      if (reason === '国内転出' || reason === '国外転出') row.転出予定年月日 = change.転出予定年月日 ?? change.異動日!;
    }
    if (row.住民となった年月日 === undefined) row.住民となった年月日 = change.異動日!;
    if (row.住定日 === undefined) row.住定日 = change.異動日!;
    out.push(row);
    state = row;
  });
  return out;
}

const eff = (r: Row) => (r.異動日! > r.処理日! ? r.異動日! : r.処理日!);

/** The person's 住民.csv row: the state on the day after processedThrough (§8), pending 転出 shown. */
export function residentRow(rows: Row[], processedThrough: string): Row | undefined {
  const ignored = new Set<string>();
  for (const c of rows) {
    if (!c.異動事由!.startsWith('異動の取消し') || !c.取消対象履歴番号) continue;
    const r = rows.find((x) => x.履歴番号 === c.取消対象履歴番号);
    if (r && eff(c) <= eff(r)) {
      ignored.add(c.履歴番号!);
      ignored.add(r.履歴番号!);
    }
  }
  const live = rows.filter((r) => !ignored.has(r.履歴番号!));
  const d = nextDay(processedThrough);
  const key = (r: Row) => `${eff(r)}|${r.履歴番号!.padStart(6, '0')}`;
  const before = live.filter((r) => eff(r) < d).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const state = before.at(-1);
  if (!state) return undefined;
  const pending = live.filter((r) => eff(r) >= d && (r.異動事由 === '国内転出' || r.異動事由 === '国外転出')).at(-1);
  const res: Row = { ...state };
  if (pending) {
    res.転出予定年月日 = pending.転出予定年月日;
    res.転出先住所コード = pending.転出先住所コード;
    res.転出先住所 = pending.転出先住所;
  }
  return res;
}

function csvLine(cells: readonly (string | undefined)[]): string {
  return cells.map((v) => {
    const s = v ?? '';
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');
}

function encode(text: string, encoding: 'UTF-8' | 'CP932'): Buffer {
  return encoding === 'CP932' ? iconv.encode(text, 'cp932') : Buffer.from(`\uFEFF${text}`, 'utf8');
}

/**
 * Writes the package into `dir` (created) and returns the history rows it wrote.
 * @example await buildPackage('/tmp/pkg', { municipalityCode: '013862', municipalityName: 'ためし村', processedThrough: '2024-01-31', persons });
 */
export async function buildPackage(dir: string, def: PackageDef): Promise<{ history: Row[]; residents: Row[] }> {
  const encoding = def.encoding ?? 'UTF-8';
  const history = def.persons.flatMap(expandPerson);
  const residents = def.persons.map((p) => residentRow(expandPerson(p), def.processedThrough)).filter((r): r is Row => r !== undefined);
  for (const r of history) {
    if (r.処理日! > def.processedThrough) throw new Error(`${r.宛名番号}#${r.履歴番号}: 処理日 ${r.処理日} が processedThrough より後です`);
  }
  const files: Record<string, { rows: number; sha256: string }> = {};
  await mkdir(dir, { recursive: true });
  for (const [name, header, rows] of [['住民.csv', RESIDENT_HEADER, residents], ['異動履歴.csv', HISTORY_HEADER, history]] as const) {
    const text = [csvLine(header), ...rows.map((r) => csvLine(header.map((h) => r[h])))].join('\r\n') + '\r\n';
    const bytes = encode(text, encoding);
    await writeFile(path.join(dir, name), bytes);
    files[name] = { rows: rows.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const manifest = {
    format: 'juki-snapshot/1',
    municipalityCode: def.municipalityCode,
    municipalityName: def.municipalityName,
    extractedAt: `${nextDay(def.processedThrough)}T02:10:00+09:00`,
    processedThrough: def.processedThrough,
    history: { mode: 'full' },
    encoding,
    files,
  };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { history, residents };
}
