// `juki load`: checks a snapshot package completely, then adds it to the store atomically
// (snapshot-format.md). Any problem rejects the whole package and leaves the store as it was.
import { createHash } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec, one, openStore, readQuery, runScript } from '../store/db.ts';
import { ensureSchema, loadMasters } from '../store/schema.ts';
import { processAlive, updateStore } from '../store/swap.ts';
import { settings } from '../settings.ts';
import { columnsOf, isForbiddenColumn, type FileKind } from './columns.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { mapColumn, readMapping, type Mapping } from './mapping.ts';
import { LoadRejected, type Problem } from './problems.ts';
import { DecodeError, findDataFiles, openPackage, readCsvHeader, sha256File, transcodeCp932, type DataFile } from './source.ts';
import { checkDuplicates, checkRows } from './validate.ts';
import { lineOf, loadCodeMaps, retypeResidentLines, stageFile, stageResidentLines, stageTyped, type StageInput, type StagedFile } from './stage.ts';
import { STORED_SOURCE_COLUMNS } from './typed.ts';
import { charsetFindings, residentCharsetFindings, type CharsetFinding } from './charset.ts';
import { birthDateFindings, consistencyFindings, nextDay, residentsFindings, updateResidentRows, type FindingGroup } from './findings.ts';
import { ident } from './columns.ts';

export interface LoadOptions {
  /** Package folder or .zip. */
  source: string;
  /** Store file (created on first load). */
  db: string;
  /** Called as the load moves through its phases. */
  onPhase?: (phase: string, step: number, total: number) => void;
}

export interface SnapshotEntry {
  load_id: number;
  processed_through: string;
  history_mode: string;
  loaded_at: string;
  history_rows_new: number;
}

export interface LoadReport {
  status: 'loaded' | 'unchanged';
  loadId: number;
  municipalityCode: string;
  municipalityName: string;
  processedThrough: string;
  extractedAt: string;
  historyMode: 'full' | 'delta';
  since?: string;
  encoding: string;
  files: { name: string; rows: number }[];
  historyRowsNew: number;
  durationMs: number;
  warnings: string[];
  charset: CharsetFinding[];
  findings: FindingGroup[];
  snapshots: SnapshotEntry[];
}

const PHASES = ['パッケージ確認', 'ハッシュ・文字コード', '読み込み', '検証', '型変換・照合', '履歴の更新', '品質チェック', '保存'] as const;

/**
 * Loads a snapshot package into the store.
 * @example const report = await loadPackage({ source: 'pkg/', db: 'juki.duckdb' });
 * @throws LoadRejected with every problem found (file, line, column, value, what was expected)
 */
export async function loadPackage(opts: LoadOptions): Promise<LoadReport> {
  const started = Date.now();
  const phase = (name: (typeof PHASES)[number]) => opts.onPhase?.(name, PHASES.indexOf(name) + 1, PHASES.length);
  phase('パッケージ確認');
  const pkg = await openPackage(opts.source);
  const temps: string[] = [];
  try {
    await removeStaleTranscodes(opts.db);
    const { manifest, manifestText, mapping, files } = await checkPackage(pkg.dir);
    phase('ハッシュ・文字コード');
    const problems: Problem[] = [];
    const readable = new Map<FileKind, string>();
    const shaProblem = (f: DataFile, sha: string): Problem[] => {
      const expected = manifest.files[f.name]!.sha256;
      return sha.toLowerCase() === expected.toLowerCase() ? [] : [{
        file: f.name,
        message: `sha256 が manifest.json と一致しません（manifest: ${expected.slice(0, 12)}…、実際: ${sha.slice(0, 12)}…）。転送が途中で切れていませんか`,
      }];
    };
    // UTF-8 and Parquet files are hashed while DuckDB reads them; CP932 ones while transcoding.
    const pendingHashes: Promise<Problem[]>[] = [];
    let undecodable = false;
    for (const f of files) {
      if (f.format === 'csv' && manifest.encoding === 'CP932') {
        const utf8 = `${path.resolve(opts.db)}.${process.pid}.${f.kind}.utf8.tmp`;
        temps.push(utf8);
        try {
          problems.push(...shaProblem(f, (await transcodeCp932(f.path, utf8)).sha256));
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          undecodable = true;
          problems.push({ file: f.name, line: e.line, message: 'CP932 として読めないバイト列があります（文字コードが manifest.json の encoding と違いませんか）' });
          problems.push(...shaProblem(f, await sha256File(f.path)));
        }
        readable.set(f.kind, utf8);
      } else {
        pendingHashes.push(sha256File(f.path).then((sha) => shaProblem(f, sha)));
        readable.set(f.kind, f.path);
      }
    }
    const hashProblems = Promise.all(pendingHashes).then((lists) => lists.flat());
    hashProblems.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
    // A file that cannot be decoded was transcoded only up to the bad bytes: staging that partial
    // copy would add false problems (e.g. "ファイル: 0 行"). Stop here with what is known.
    if (undecodable) throw new LoadRejected([...problems, ...(await hashProblems)]);
    const fingerprint = createHash('sha256').update(manifestText).digest('hex');
    if (problems.length === 0 && (await isLatestLoad(opts.db, fingerprint))) {
      const unchanged = (await hashProblems).length === 0 ? await unchangedReport(opts.db, fingerprint, started) : undefined;
      if (unchanged) return unchanged;
    }
    let report: LoadReport | undefined;
    await updateStore(opts.db, async (copyPath) => {
      const store = await openStore(copyPath, { tempDir: `${path.resolve(opts.db)}.tmpdir` });
      try {
        report = await loadInto(store.conn, { manifest, mapping, files, readable, fingerprint, problems, hashProblems, started, phase });
        phase('保存');
        await exec(store.conn, 'CHECKPOINT');
      } finally {
        store.close();
      }
      return true;
    });
    await rm(`${path.resolve(opts.db)}.tmpdir`, { recursive: true, force: true });
    return { ...report!, durationMs: Date.now() - started };
  } finally {
    for (const t of temps) await rm(t, { force: true });
    await pkg.cleanup();
  }
}

/**
 * CP932 files are transcoded to `<db>.<pid>.<kind>.utf8.tmp` beside the store. A load killed with
 * SIGKILL (or a power cut) cannot remove them, and updateStore only cleans up its own work copies, so
 * without this they would pile up (each as large as the package). Removes those of processes that
 * no longer run; another live loader's files are left alone.
 */
async function removeStaleTranscodes(db: string): Promise<void> {
  const absolute = path.resolve(db);
  const dir = path.dirname(absolute);
  const prefix = `${path.basename(absolute)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // no folder yet: nothing stale either
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.(residents|history)\.utf8\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !processAlive(pid)) await rm(path.join(dir, name), { force: true });
  }
}


interface CheckedPackage {
  manifest: Manifest;
  manifestText: string;
  mapping: Mapping;
  files: (DataFile & { header: string[] })[];
}

/** Manifest, mapping, file presence and headers: everything that can be checked before reading data. */
async function checkPackage(dir: string): Promise<CheckedPackage> {
  const manifestFile = path.join(dir, 'manifest.json');
  const { manifest, problems } = await readManifest(manifestFile);
  if (!manifest) throw new LoadRejected(problems);
  const manifestText = await readFile(manifestFile, 'utf8');
  const { mapping, problems: mappingProblems } = await readMapping(path.join(dir, 'mapping.json'));
  problems.push(...mappingProblems);
  const found = await findDataFiles(dir);
  problems.push(...found.problems);
  const files: (DataFile & { header: string[] })[] = [];
  for (const f of found.files) {
    let header: string[] | undefined;
    if (f.format === 'csv') {
      const read = await readCsvHeader(f.path, f.name, manifest.encoding);
      if (read.problem) problems.push(read.problem);
      header = read.header;
    } else {
      header = await parquetColumns(f.path);
    }
    if (!header) continue;
    // 個人番号 / 住民票コード: refused before anything else is read.
    const forbidden = header.filter((h) => isForbiddenColumn(h) || isForbiddenColumn(mapColumn(mapping, h)));
    if (forbidden.length > 0) {
      throw new LoadRejected(forbidden.map((h) => ({
        file: f.name, line: 1, column: h,
        message: '個人番号・住民票コードの列は受け付けません。この列を除いて出力し直してください（データは読んでいません）',
      })));
    }
    files.push({ ...f, header });
    const mapped = new Set(header.map((h) => mapColumn(mapping, h)));
    for (const spec of columnsOf(f.kind)) {
      if ((spec.required || spec.name === '生年月日') && !mapped.has(spec.name)) {
        problems.push({ file: f.name, line: 1, column: spec.name, message: '必須の列がありません' });
      }
    }
    if (!manifest.files[f.name]) problems.push({ file: 'manifest.json', column: `files.${f.name}`, message: `${f.name} の rows と sha256 がありません` });
  }
  if (problems.length > 0) throw new LoadRejected(problems);
  return { manifest, manifestText, mapping, files };
}

async function parquetColumns(file: string): Promise<string[]> {
  const store = await openStore(':memory:');
  try {
    const rows = await all<{ column_name: string }>(store.conn, 'SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($p))', { p: file });
    return rows.map((r) => r.column_name);
  } finally {
    store.close();
  }
}

/** Whether the store's latest load has this manifest fingerprint (a cheap pre-check before hashing). */
async function isLatestLoad(db: string, fingerprint: string): Promise<boolean> {
  let store;
  try {
    store = await openStore(db, { readOnly: true });
  } catch {
    return false;
  }
  try {
    const last = await one<{ package_fingerprint: string }>(store.conn, 'SELECT package_fingerprint FROM loads ORDER BY load_id DESC LIMIT 1');
    return last?.package_fingerprint === fingerprint;
  } catch {
    return false;
  } finally {
    store.close();
  }
}

/** When the store's latest load is this very package, nothing is changed. */
async function unchangedReport(db: string, fingerprint: string, started: number): Promise<LoadReport | undefined> {
  let store;
  try {
    store = await openStore(db, { readOnly: true });
  } catch {
    return undefined; // no store yet
  }
  try {
    const last = await one<{ report_json: string; package_fingerprint: string }>(store.conn,
      'SELECT report_json, package_fingerprint FROM loads ORDER BY load_id DESC LIMIT 1');
    if (!last || last.package_fingerprint !== fingerprint) return undefined;
    const previous = JSON.parse(last.report_json) as LoadReport;
    return { ...previous, status: 'unchanged', durationMs: Date.now() - started, snapshots: await snapshotList(store.conn) };
  } catch {
    return undefined;
  } finally {
    store.close();
  }
}

export async function snapshotList(conn: DuckDBConnection): Promise<SnapshotEntry[]> {
  return all<SnapshotEntry>(conn, `SELECT load_id, processed_through, history_mode, strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at, history_rows_new
    FROM loads ORDER BY load_id`);
}

interface LoadContext {
  manifest: Manifest;
  mapping: Mapping;
  files: (DataFile & { header: string[] })[];
  readable: Map<FileKind, string>;
  fingerprint: string;
  problems: Problem[];
  /** sha256 checks still running while DuckDB reads the files. */
  hashProblems: Promise<Problem[]>;
  started: number;
  phase: (name: (typeof PHASES)[number]) => void;
}

async function loadInto(conn: DuckDBConnection, ctx: LoadContext): Promise<LoadReport> {
  const { manifest, mapping, problems } = ctx;
  await ensureSchema(conn);
  await loadMasters(conn);
  await loadCodeMaps(conn, mapping);

  const loadId = ((await one<{ id: number | null }>(conn, 'SELECT max(load_id) AS id FROM loads'))?.id ?? 0) + 1;
  await exec(conn, 'CREATE OR REPLACE TEMP TABLE current_load AS SELECT $load_id::INTEGER AS load_id', { load_id: loadId });
  const storeEmpty = !(await one(conn, 'SELECT 1 FROM history LIMIT 1'));
  // 住民.csv is checked incrementally once resident_rows holds the previous one (src/ingest/findings.ts).
  const previous = await one<{ pt: string }>(conn, `SELECT strftime(processed_through, '%Y-%m-%d') AS pt FROM loads ORDER BY load_id DESC LIMIT 1`);
  const nightly = !storeEmpty && previous !== undefined && !!(await one(conn, 'SELECT 1 FROM resident_rows LIMIT 1'));
  let residentsInput: StageInput | undefined;

  ctx.phase('読み込み');
  const staged = new Map<FileKind, StagedFile>();
  let rowProblems = false;
  for (const f of ctx.files) {
    const input = { kind: f.kind, name: f.name, path: ctx.readable.get(f.kind)!, format: f.format, header: f.header };
    if (f.kind === 'residents') residentsInput = input;
    let s = f.kind === 'residents' && nightly
      ? await stageResidentLines(conn, input, mapping)
      : await stageTyped(conn, input, mapping, { intoHistory: f.kind === 'history' && storeEmpty });
    if (s.badRows !== 0) {
      // Some row breaks a rule (or, on the nightly 住民.csv path, a key repeats): read the text again
      // and say exactly where and why.
      ctx.phase('検証');
      const keysUnchecked = s.keysChecked;
      s = await stageFile(conn, input, mapping);
      problems.push(...(await checkRows(conn, s, mapping)));
      if (keysUnchecked) problems.push(...(await checkDuplicates(conn, s)));
      rowProblems = true;
    }
    staged.set(f.kind, s);
    problems.push(...s.problems);
    const expected = manifest.files[f.name]!.rows;
    const actual = s.rows + s.rejectedLines.length;
    if (actual !== expected) {
      problems.push({ file: f.name, message: `行数が manifest.json と一致しません（manifest: ${expected}、ファイル: ${actual}）` });
    }
  }
  if (rowProblems) throw rejected([...problems, ...(await ctx.hashProblems)]);
  const residents = staged.get('residents')!;
  const history = staged.get('history')!;

  ctx.phase('検証');
  for (const s of [residents, history]) if (!s.keysChecked) problems.push(...(await checkDuplicates(conn, s)));
  problems.push(...(await checkProcessedWindow(conn, history, manifest)));
  problems.push(...(await ctx.hashProblems));
  if (problems.length > 0) throw rejected(problems);

  ctx.phase('型変換・照合');
  problems.push(...(await checkAgainstStore(conn, history, manifest, storeEmpty)));
  if (problems.length > 0) throw rejected(problems);

  ctx.phase('履歴の更新');
  if (storeEmpty) {
    // First load: the rows went straight into history; every person is touched.
    await exec(conn, 'CREATE OR REPLACE TEMP TABLE touched AS SELECT DISTINCT 宛名番号 FROM history');
  } else {
    const columns = [...STORED_SOURCE_COLUMNS, 'eff_date', 'row_hash'].map(ident).join(', ');
    await exec(conn, `CREATE OR REPLACE TEMP TABLE touched AS
      SELECT DISTINCT 宛名番号 FROM (SELECT 宛名番号, 履歴番号 FROM ${history.table} EXCEPT SELECT 宛名番号, 履歴番号 FROM history)`);
    await exec(conn, `INSERT INTO history BY NAME
      SELECT ${columns}, false AS ignored, (SELECT load_id FROM current_load) AS load_id
      FROM ${history.table} s ANTI JOIN history h USING (宛名番号, 履歴番号)`);
  }
  await exec(conn, 'CREATE OR REPLACE TEMP VIEW new_rows AS SELECT * FROM history WHERE load_id = (SELECT load_id FROM current_load)');
  await runScript(conn, readQuery('store/derive.sql'), { all_persons: storeEmpty });
  const historyRowsNew = (await one<{ n: number }>(conn, 'SELECT count(*) AS n FROM new_rows'))!.n;

  ctx.phase('品質チェック');
  await updateResidentRows(conn, manifest.processedThrough, nightly
    ? { previous: previous!.pt, retype: (keys) => retypeResidentLines(conn, residentsInput!, mapping, keys) }
    : undefined);
  const warnings = unknownColumnWarnings(ctx);
  const findings: FindingGroup[] = [
    ...(await birthDateFindings(conn)),
    await consistencyFindings(conn, loadId),
    ...(await residentsFindings(conn, manifest.processedThrough)),
  ];
  if (manifest.history.mode === 'full' && !storeEmpty) findings.push(await missingFromFullPackage(conn, history.table));
  const charset = [
    ...(await residentCharsetFindings(conn, residents.name)),
    ...(await charsetFindings(conn, 'new_rows', `${history.name}`)),
  ];

  for (const s of [residents, history]) if (s.table.startsWith('stage_')) await exec(conn, `DROP TABLE ${s.table}`);

  const report: LoadReport = {
    status: 'loaded',
    loadId,
    municipalityCode: manifest.municipalityCode,
    municipalityName: manifest.municipalityName,
    processedThrough: manifest.processedThrough,
    extractedAt: manifest.extractedAt,
    historyMode: manifest.history.mode,
    since: manifest.history.mode === 'delta' ? manifest.history.since : undefined,
    encoding: manifest.encoding,
    files: [residents, history].map((s) => ({ name: s.name, rows: s.rows })),
    historyRowsNew,
    durationMs: Date.now() - ctx.started,
    warnings,
    charset,
    findings: findings.filter((f) => f.count > 0),
    snapshots: [],
  };
  await exec(conn, `INSERT INTO loads VALUES ($load_id, now(), $code, $name, $extracted, $pt::DATE, $mode, $since::DATE, $enc, $fp,
    $residents, $history, $new, $ms, $json)`, {
    load_id: loadId, code: manifest.municipalityCode, name: manifest.municipalityName, extracted: manifest.extractedAt,
    pt: manifest.processedThrough, mode: manifest.history.mode, since: report.since ?? null, enc: manifest.encoding, fp: ctx.fingerprint,
    residents: residents.rows, history: history.rows, new: historyRowsNew, ms: report.durationMs, json: JSON.stringify(report),
  });
  for (const g of report.findings) {
    for (const f of g.examples) {
      await exec(conn, 'INSERT INTO load_findings VALUES ($1, $2, $3, $4, $5)', [loadId, g.kind, f.宛名番号, f.履歴番号 ?? null, f.detail]);
    }
  }
  report.snapshots = await snapshotList(conn);
  return report;
}

function rejected(problems: Problem[]): LoadRejected {
  return new LoadRejected(problems.slice(0, settings.maxProblems), problems.length > settings.maxProblems);
}

function unknownColumnWarnings(ctx: LoadContext): string[] {
  const warnings: string[] = [];
  for (const f of ctx.files) {
    const known = new Set(columnsOf(f.kind).map((c) => c.name));
    const unknown = f.header.filter((h) => !known.has(mapColumn(ctx.mapping, h)));
    if (unknown.length > 0) warnings.push(`${f.name}: 仕様にない列を無視しました（${unknown.join(', ')}）`);
  }
  return warnings;
}

/** 処理日 must lie in the package's window: ≤ processedThrough, and ≥ since for a delta. */
async function checkProcessedWindow(conn: DuckDBConnection, history: StagedFile, manifest: Manifest): Promise<Problem[]> {
  const since = manifest.history.mode === 'delta' ? manifest.history.since : null;
  const rows = await all<{ r: number; v: string; late: boolean; n: number }>(conn, `
    SELECT rowid AS r, strftime(処理日, '%Y-%m-%d') AS v, 処理日 > $pt::DATE AS late, count(*) OVER () AS n FROM ${history.table}
    WHERE 処理日 > $pt::DATE OR ($since::DATE IS NOT NULL AND 処理日 < $since::DATE)
    ORDER BY rowid LIMIT ${settings.maxProblemsPerCheck}`, { pt: manifest.processedThrough, since });
  return rows.map((row, i) => ({
    file: history.name, line: lineOf(history, row.r), column: '処理日', value: row.v,
    message: row.late ? `processedThrough（${manifest.processedThrough}）より後の処理日です` : `差分パッケージの since（${since}）より前の処理日です`,
    more: i === rows.length - 1 && row.n > rows.length ? row.n - rows.length : undefined,
  }));
}

/** Rules against what the store already holds: same municipality, no going back, no gap, no rewritten history. */
async function checkAgainstStore(conn: DuckDBConnection, history: StagedFile, manifest: Manifest, storeEmpty: boolean): Promise<Problem[]> {
  const problems: Problem[] = [];
  const last = await one<{ processed_through: string; municipality_code: string }>(conn,
    'SELECT processed_through, municipality_code FROM loads ORDER BY load_id DESC LIMIT 1');
  if (last && last.municipality_code !== manifest.municipalityCode) {
    problems.push({ file: 'manifest.json', column: 'municipalityCode', value: manifest.municipalityCode, message: `このストアは団体コード ${last.municipality_code} のものです` });
  }
  if (last && manifest.processedThrough < last.processed_through) {
    problems.push({ file: 'manifest.json', column: 'processedThrough', value: manifest.processedThrough, message: `ストアには ${last.processed_through} まで取り込み済みです（古いスナップショットは取り込めません）` });
  }
  if (manifest.history.mode === 'delta') {
    if (!last) {
      problems.push({ file: 'manifest.json', column: 'history', message: '最初の取り込みは full（全履歴）のパッケージで行ってください' });
    } else if (manifest.history.since > nextDay(last.processed_through)) {
      const from = nextDay(last.processed_through);
      const to = previousDay(manifest.history.since);
      problems.push({ file: 'manifest.json', column: 'history.since', value: manifest.history.since,
        message: `取り込み済み（${last.processed_through} まで）との間に抜けがあります: ${from === to ? from : `${from} 〜 ${to}`} の処理分がありません` });
    }
  }
  const cap = settings.maxProblemsPerCheck;
  const staged = history.table;
  const changed = storeEmpty ? [] : await all<{ r: number; key: string; n: number }>(conn, `
    SELECT t.rowid AS r, t.宛名番号 || ' / ' || t.履歴番号 AS key, count(*) OVER () AS n
    FROM ${staged} t JOIN history h USING (宛名番号, 履歴番号) WHERE t.row_hash <> h.row_hash ORDER BY t.rowid LIMIT ${cap}`);
  for (const [i, c] of changed.entries()) {
    problems.push({ file: history.name, line: lineOf(history, c.r), column: '宛名番号, 履歴番号', value: c.key,
      message: '取り込み済みの履歴行と内容が違います（履歴は書き換えられません）', more: i === changed.length - 1 && c.n > changed.length ? c.n - changed.length : undefined });
  }
  if (last && !storeEmpty) {
    const late = await all<{ r: number; key: string; n: number }>(conn, `
      SELECT t.rowid AS r, t.宛名番号 || ' / ' || t.履歴番号 AS key, count(*) OVER () AS n
      FROM ${staged} t ANTI JOIN history h USING (宛名番号, 履歴番号)
      WHERE t.処理日 <= $pt::DATE ORDER BY t.rowid LIMIT ${cap}`, { pt: last.processed_through });
    for (const [i, c] of late.entries()) {
      problems.push({ file: history.name, line: lineOf(history, c.r), column: '処理日', value: c.key,
        message: `前回の処理済み日（${last.processed_through}）以前の処理日なのに、前回のパッケージになかった行です`, more: i === late.length - 1 && c.n > late.length ? c.n - late.length : undefined });
    }
  }
  // A cancellation must point at an earlier row of the same person, in this package or the store.
  const orphans = await all<{ r: number; key: string; n: number }>(conn, `
    SELECT t.rowid AS r, t.宛名番号 || ' / ' || t.履歴番号 || ' → ' || t.取消対象履歴番号 AS key, count(*) OVER () AS n
    FROM ${staged} t
    WHERE t.取消対象履歴番号 IS NOT NULL AND (t.取消対象履歴番号 >= t.履歴番号 OR (
      NOT EXISTS (SELECT 1 FROM ${staged} k WHERE k.宛名番号 = t.宛名番号 AND k.履歴番号 = t.取消対象履歴番号)
      AND NOT EXISTS (SELECT 1 FROM history k WHERE k.宛名番号 = t.宛名番号 AND k.履歴番号 = t.取消対象履歴番号)))
    ORDER BY t.rowid LIMIT ${cap}`);
  for (const [i, o] of orphans.entries()) {
    problems.push({ file: history.name, line: lineOf(history, o.r), column: '取消対象履歴番号', value: o.key,
      message: '取り消す行が同じ人の前の履歴にありません', more: i === orphans.length - 1 && o.n > orphans.length ? o.n - orphans.length : undefined });
  }
  return problems;
}

/** A full package should contain every row loaded before; missing ones are kept and listed. */
async function missingFromFullPackage(conn: DuckDBConnection, staged: string): Promise<FindingGroup> {
  const rows = await all<{ 宛名番号: string; 履歴番号: number; n: number }>(conn, `
    SELECT h.宛名番号, h.履歴番号, count(*) OVER () AS n FROM history h ANTI JOIN ${staged} t USING (宛名番号, 履歴番号)
    ORDER BY 1, 2 LIMIT ${settings.maxFindingsPerKind}`);
  return {
    kind: 'missing_in_full_package',
    title: '前回までに取り込んだが今回の全履歴パッケージにない行（ストアには残します）',
    count: rows[0]?.n ?? 0,
    examples: rows.map((r) => ({ 宛名番号: r.宛名番号, 履歴番号: r.履歴番号, detail: 'パッケージになし' })),
  };
}

function previousDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
