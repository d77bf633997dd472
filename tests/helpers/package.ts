// Test helper: writes snapshot packages (snapshot-format.md) from rows given as objects, in UTF-8
// (optional BOM) or CP932 (外字 by the user-defined-area formula), signs the manifest (rows + sha256),
// reads packages back (the みほん町 conformance example), and corrupts them on purpose.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { openStore } from '../../src/store/db.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared folder (spec, conformance examples) sits beside the repository. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');

/**
 * A path under ../shared. Throws when it is missing, so a test that needs it fails (never skips).
 * @example const dir = sharedPath('conformance/mihon/package-utf8');
 */
export function sharedPath(relative: string): string {
  const p = path.join(SHARED_DIR, relative);
  if (!existsSync(p)) {
    throw new Error(`${p} がありません: shared フォルダ（spec, conformance）をリポジトリの隣（../shared）に置いてください`);
  }
  return p;
}

export type PackageEncoding = 'UTF-8' | 'CP932';

export function mihonDir(encoding: PackageEncoding): string {
  return sharedPath(`conformance/mihon/${encoding === 'UTF-8' ? 'package-utf8' : 'package-cp932'}`);
}

/** Header of 住民.csv in the spec's order (as in the みほん町 package). */
export const RESIDENT_HEADER: readonly string[] = [
  '宛名番号', '世帯番号', '住民種別', '住民状態', '氏名', '氏名カナ', '氏名英字', '通称', '生年月日', '生年月日不詳', '性別', '続柄',
  '住民となった年月日', '住所コード', '住所', '方書', '郵便番号', '地区コード', '住定日', '転入前住所コード', '転入前住所',
  '転出予定年月日', '転出先住所コード', '転出先住所', '消除年月日', '消除事由', '国籍・地域', '法30条45区分', '在留資格', '在留期間',
  '在留期間満了日', '在留カード等番号', '支援措置',
];

/** Header of 異動履歴.csv in the spec's order (as in the みほん町 package). */
export const HISTORY_HEADER: readonly string[] = [
  '宛名番号', '履歴番号', '異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号', '住居地届出区分',
  ...RESIDENT_HEADER.slice(1),
];

/** Columns only 異動履歴.csv has. */
export const HISTORY_ONLY = HISTORY_HEADER.filter((h) => !RESIDENT_HEADER.includes(h));

export type Cell = string | number | null | undefined;
export type Row = Record<string, Cell>;

export interface ManifestJson {
  format: string;
  municipalityCode: string;
  municipalityName: string;
  extractedAt: string;
  processedThrough: string;
  history: { mode: 'full' } | { mode: 'delta'; since: string };
  encoding: PackageEncoding;
  files: Record<string, { rows: number; sha256: string }>;
  [key: string]: unknown;
}

/** Everything a package is made of. Rows are objects keyed by column name; missing keys are empty. */
export interface PackageData {
  manifest: ManifestJson;
  residents: Row[];
  history: Row[];
  residentsHeader: string[];
  historyHeader: string[];
  /** UTF-8 only: write a BOM. */
  bom: boolean;
  eol: '\r\n' | '\n';
  /** Written as mapping.json when set. */
  mapping?: unknown;
  /** parquet: 住民.parquet / 異動履歴.parquet (all columns VARCHAR) instead of the CSV files. */
  format: 'csv' | 'parquet';
}

/**
 * A new package with the みほん町 municipality and sensible defaults; rows are given by the test.
 * @example const data = newPackage({ residents: [r], history: [h], manifest: { processedThrough: '2022-01-31' } });
 */
export function newPackage(init: Partial<Omit<PackageData, 'manifest'>> & { manifest?: Partial<ManifestJson> } = {}): PackageData {
  const { manifest, ...rest } = init;
  return {
    residents: [],
    history: [],
    residentsHeader: [...RESIDENT_HEADER],
    historyHeader: [...HISTORY_HEADER],
    bom: false,
    eol: '\r\n',
    format: 'csv',
    ...rest,
    manifest: {
      format: 'juki-snapshot/1',
      municipalityCode: '013854',
      municipalityName: 'みほん町',
      extractedAt: '2022-02-01T02:10:00+09:00',
      processedThrough: '2022-01-31',
      history: { mode: 'full' },
      encoding: 'UTF-8',
      files: {},
      ...manifest,
    },
  };
}

/** A deep copy, so a test can edit a package read once. */
export function clonePackage(data: PackageData): PackageData {
  return structuredClone(data);
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** CP932 user-defined area: 188 cells per lead byte F0..F9, trail 40–7E then 80–FC ↔ U+E000–U+E757. */
export function gaijiToCp932(codePoint: number): Buffer {
  const n = codePoint - 0xe000;
  if (n < 0 || n >= 1880) throw new Error(`U+${codePoint.toString(16)} is not in the CP932 user-defined area`);
  const lead = 0xf0 + Math.floor(n / 188);
  const cell = n % 188;
  return Buffer.from([lead, cell < 63 ? 0x40 + cell : 0x80 + (cell - 63)]);
}

/**
 * Text → CP932 bytes: iconv-lite for the standard table, the formula above for 外字. Throws when a
 * character has no CP932 code (iconv-lite would silently write `?`).
 */
export function encodeCp932(text: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  const flush = () => {
    if (!run) return;
    const bytes = iconv.encode(run, 'cp932');
    const back = new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
    if (back !== run) {
      const bad = [...run].find((ch) => new TextDecoder('shift_jis').decode(iconv.encode(ch, 'cp932')) !== ch);
      throw new Error(`CP932 にない文字です: ${bad} (U+${bad?.codePointAt(0)?.toString(16).toUpperCase()})`);
    }
    parts.push(bytes);
    run = '';
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe000 && cp <= 0xe757) {
      flush();
      parts.push(gaijiToCp932(cp));
    } else {
      run += ch;
    }
  }
  flush();
  return Buffer.concat(parts);
}

/** Bytes → text as the loader reads them (strict; CP932 user-defined area → U+E000–U+E757). */
export function decodeText(bytes: Uint8Array, encoding: PackageEncoding): string {
  const text = new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'shift_jis', { fatal: true, ignoreBOM: true }).decode(bytes);
  return text.replace(/^\uFEFF/, '');
}

// ---------------------------------------------------------------------------------------------
// CSV

function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text: header row, then one line per row (every line ends with `eol`). */
export function toCsv(header: readonly string[], rows: readonly Row[], eol = '\r\n'): string {
  const lines = [header.map(csvField).join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))];
  return lines.map((l) => l + eol).join('');
}

/** Parses CSV text into header and row objects (all values strings, empty → ''). */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`CSV: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  const [header = [], ...body] = parsed.data;
  return { header, rows: body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))) };
}

// ---------------------------------------------------------------------------------------------
// Writing and reading packages

export const RESIDENTS_CSV = '住民.csv';
export const HISTORY_CSV = '異動履歴.csv';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(file: string): Promise<string> {
  return sha256(await readFile(file));
}

function encodeFile(text: string, data: PackageData): Buffer {
  if (data.manifest.encoding === 'CP932') return encodeCp932(text);
  return Buffer.concat([data.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

/**
 * Writes the package into `dir` (created; existing files replaced) and signs manifest.json
 * (rows and sha256 of each data file) unless `sign` is false (then manifest.files is written as given).
 * @example const dir = await writePackage(await tempDir('pkg'), newPackage({ residents, history }));
 */
export async function writePackage(dir: string, data: PackageData, opts: { sign?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) await rm(path.join(dir, name), { recursive: true, force: true });
  const files: ManifestJson['files'] = {};
  const parts = [
    { base: '住民', header: data.residentsHeader, rows: data.residents },
    { base: '異動履歴', header: data.historyHeader, rows: data.history },
  ];
  for (const p of parts) {
    if (data.format === 'csv') {
      const bytes = encodeFile(toCsv(p.header, p.rows, data.eol), data);
      await writeFile(path.join(dir, `${p.base}.csv`), bytes);
      files[`${p.base}.csv`] = { rows: p.rows.length, sha256: sha256(bytes) };
    } else {
      const file = path.join(dir, `${p.base}.parquet`);
      await writeParquet(file, p.header, p.rows);
      files[`${p.base}.parquet`] = { rows: p.rows.length, sha256: await sha256OfFile(file) };
    }
  }
  const manifest = opts.sign === false ? data.manifest : { ...data.manifest, files };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  if (data.mapping !== undefined) await writeFile(path.join(dir, 'mapping.json'), JSON.stringify(data.mapping, null, 2) + '\n');
  return dir;
}

/** Writes rows as Parquet through DuckDB (COPY … TO), every column VARCHAR, empty cells NULL. */
async function writeParquet(file: string, header: readonly string[], rows: readonly Row[]): Promise<void> {
  const csv = `${file}.tmp.csv`;
  await writeFile(csv, toCsv(header, rows, '\n'));
  const store = await openStore(':memory:');
  try {
    const cols = header.map((h) => `'${h.replace(/'/g, "''")}': 'VARCHAR'`).join(', ');
    const src = `read_csv('${csv.replace(/'/g, "''")}', header = true, auto_detect = false, columns = {${cols}})`;
    await store.conn.run(`COPY (SELECT * FROM ${src}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    store.close();
    await rm(csv, { force: true });
  }
}

/**
 * Reads a package folder (CSV) back into PackageData: the encoding from its manifest, BOM and line
 * ends as found, mapping.json if present.
 * @example const mihon = await readPackage(mihonDir('CP932'));
 */
export async function readPackage(dir: string): Promise<PackageData> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
  const read = async (name: string) => {
    const bytes = await readFile(path.join(dir, name));
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = decodeText(bytes, manifest.encoding);
    return { bom, crlf: text.includes('\r\n'), ...parseCsv(text) };
  };
  const residents = await read(RESIDENTS_CSV);
  const history = await read(HISTORY_CSV);
  const mappingFile = path.join(dir, 'mapping.json');
  return {
    manifest,
    residents: residents.rows,
    history: history.rows,
    residentsHeader: residents.header,
    historyHeader: history.header,
    bom: residents.bom,
    eol: residents.crlf ? '\r\n' : '\n',
    mapping: existsSync(mappingFile) ? JSON.parse(await readFile(mappingFile, 'utf8')) : undefined,
    format: 'csv',
  };
}

/** The みほん町 package (45 persons, 85 history rows) as data, to edit and write elsewhere. */
export async function mihon(encoding: PackageEncoding = 'UTF-8'): Promise<PackageData> {
  return readPackage(mihonDir(encoding));
}

/** The first row matching 宛名番号 (and 履歴番号 for history rows); throws when there is none. */
export function findRow(rows: Row[], 宛名番号: string | number, 履歴番号?: number): Row {
  const row = rows.find((r) => String(r.宛名番号) === String(宛名番号) && (履歴番号 === undefined || String(r.履歴番号) === String(履歴番号)));
  if (!row) throw new Error(`no row ${宛名番号}${履歴番号 !== undefined ? ` / ${履歴番号}` : ''}`);
  return row;
}

/** A 住民.csv row from a history row (the history-only columns dropped). */
export function stateOf(historyRow: Row, changes: Row = {}): Row {
  const out: Row = {};
  for (const h of RESIDENT_HEADER) out[h] = historyRow[h];
  return { ...out, ...changes };
}

// ---------------------------------------------------------------------------------------------
// Corrupting a written package

/** Rewrites manifest.json through `edit` (files are not re-signed). */
export async function editManifest(dir: string, edit: (m: ManifestJson) => void): Promise<void> {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as ManifestJson;
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2) + '\n');
}

/** Cuts a file to `keep` bytes (a transfer that broke off); the manifest keeps the full file's rows and sha256. */
export async function truncateFile(dir: string, name: string, keep: number): Promise<void> {
  await truncate(path.join(dir, name), keep);
}

/** Recomputes manifest rows (data records of each CSV) and sha256 from the files as they are now. */
export async function resign(dir: string): Promise<void> {
  const manifestFile = path.join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(manifestFile, 'utf8')) as ManifestJson;
  for (const name of Object.keys(m.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const bytes = await readFile(file);
    const rows = name.endsWith('.csv') ? parseCsv(decodeText(bytes, m.encoding)).rows.length : m.files[name]!.rows;
    m.files[name] = { rows, sha256: sha256(bytes) };
  }
  await writeFile(manifestFile, JSON.stringify(m, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Temp folders

const made: string[] = [];

/** A fresh folder under os.tmpdir(); removeTempDirs() deletes every one made. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `juki-test-${prefix}-`));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// A big package for kill -9 and concurrent-reader tests

/**
 * A package plus `copies` clones of its persons with new 宛名番号 / 世帯番号 (みほん町: 45 persons and
 * 85 history rows each), so a load takes long enough to interrupt. Clone k (1-based) maps 宛名番号
 * 10nn → 1kkkkk0nn. Persons in `notCloned` stay single (e.g. those of an earlier snapshot, whose
 * clones would be new rows dated inside the already-loaded period).
 */
export function bigPackage(base: PackageData, copies: number, notCloned: ReadonlySet<string> = new Set()): PackageData {
  const out = clonePackage(base);
  const key = (k: number, v: Cell) => String(100_000_000 + k * 1000 + (Number(v) % 1000));
  const cloneRows = (rows: Row[]) => {
    const all: Row[] = [...rows];
    const cloned = rows.filter((r) => !notCloned.has(String(r.宛名番号)));
    for (let k = 1; k <= copies; k++) {
      for (const r of cloned) all.push({ ...r, 宛名番号: key(k, r.宛名番号), 世帯番号: key(k, r.世帯番号) });
    }
    return all;
  };
  out.residents = cloneRows(base.residents);
  out.history = cloneRows(base.history);
  return out;
}

/**
 * An earlier full snapshot of a package: the history rows with 処理日 ≤ `through` and the 住民.csv
 * rows of those persons (as the later package has them; the load report may list differences).
 * Loading it first makes a later package a valid next load.
 */
export function earlierSnapshot(data: PackageData, through: string): PackageData {
  const out = clonePackage(data);
  out.manifest.processedThrough = through;
  out.manifest.extractedAt = `${through}T23:00:00+09:00`;
  out.history = out.history.filter((r) => String(r.処理日) <= through);
  const persons = new Set(out.history.map((r) => String(r.宛名番号)));
  out.residents = out.residents.filter((r) => persons.has(String(r.宛名番号)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// .zip packages (stored, no compression: enough for the loader's reader)

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Writes a .zip of `entries` (names may contain folders, UTF-8 flagged). Entry names are written as
 * given, so a test can also build a malicious one (`../x`).
 * @example await writeZip('pkg.zip', [{ name: 'pkg/manifest.json', data }]);
 */
export async function writeZip(file: string, entries: { name: string; data: Uint8Array }[]): Promise<void> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data));
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  await writeFile(file, Buffer.concat([...locals, cd, end]));
}

/** Zips a package folder under `prefix/` (empty prefix: files at the top). */
export async function zipPackage(dir: string, zipFile: string, prefix = ''): Promise<string> {
  const names = (await readdir(dir)).sort();
  await writeZip(zipFile, await Promise.all(names.map(async (n) => ({ name: prefix ? `${prefix}/${n}` : n, data: await readFile(path.join(dir, n)) }))));
  return zipFile;
}
