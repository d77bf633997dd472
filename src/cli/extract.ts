// `juki extract run|list|export|import`: the wizard's definitions from the command line — run a saved
// extract or a definition file against the store (preview in the terminal, or a CSV / XLSX file),
// list the saved extracts, and share them as JSON. The CLI is the operator's tool: person lists
// need --purpose and never include 支援措置 subjects; every run is audited as user '(cli)'.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { AuditLog, type AuditEvent } from '../audit/log.ts';
import { stateDirOf, statePaths } from '../audit/state-dir.ts';
import { UserStore } from '../auth/users.ts';
import { isDateKeyword, isIsoDate } from '../euc/params.ts';
import { ExportTooLarge, type CellValue } from '../export/types.ts';
import { latestSnapshot, nowJst } from '../reports/common/provenance.ts';
import { openStore } from '../store/db.ts';
import { compileSpec, type CompiledSpec } from '../wizard/compile.ts';
import { previewSpec, publishSpec, publishShapeOf, writeSpecFile, PUBLISH_MAX_ROWS } from '../wizard/run.ts';
import { crossTable } from '../euc/publish.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExportColumn } from '../export/types.ts';

/** A count as a cross table (the last group item across), without suppression. */
async function crossOf(conn: DuckDBConnection, c: CompiledSpec): Promise<{ columns: ExportColumn[]; rows: CellValue[][]; note?: string }> {
  const shape = publishShapeOf(c);
  const all = await previewSpec(conn, c, PUBLISH_MAX_ROWS);
  return crossTable(all.columns.map((k) => k.name), all.rows, shape);
}
import { DEFAULT_K } from '../euc/suppress.ts';
import { writeCsv } from '../export/csv.ts';
import { writeXlsx } from '../export/xlsx.ts';
import { ExtractPermissionError, SavedExtractError, SavedExtracts, type SavedExtract } from '../wizard/saved.ts';
import { SpecError, parseSpecJson, specHash, withDates, type ExtractSpec } from '../wizard/spec.ts';
import { CLI_USER, EXIT, printable, usageExitCode } from './user.ts';

/** Rows the terminal preview shows. */
export const CLI_PREVIEW_ROWS = 20;

/** The operator as a wizard user: sees and may edit every saved extract. */
const OPERATOR = { id: CLI_USER, role: '管理者' as const };

interface StoreOpts {
  db: string;
  state?: string;
}

function failWith(code: number, message: string): void {
  console.error(message);
  process.exitCode = code;
}

function dateOption(value: string): string {
  if (!isIsoDate(value) && !isDateKeyword(value)) throw new InvalidArgumentError(`YYYY-MM-DD の日付か既定値のキーワード（snapshot、lastYearStart など）で指定してください: ${value}`);
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`1 以上の整数で指定してください: ${value}`);
  return n;
}

/** Display width in a terminal (East Asian wide characters count 2). */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * A plain text table for the terminal; number columns (and X) right-aligned, control characters made visible.
 * @example textTable(['性別', '人数'], [['男', 12], ['女', 11]]) // '性別  人数\n男      12\n女      11'
 */
export function textTable(header: string[], rows: CellValue[][]): string {
  const cells = [header, ...rows.map((r) => r.map((v) => (v === null ? '' : printable(String(v)))))];
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === 'X'));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  return cells.map((r) => r.map((c, i) => {
    const pad = ' '.repeat(widths[i]! - width(c));
    return numeric[i] ? pad + c : i === r.length - 1 ? c : c + pad;
  }).join('  ')).join('\n');
}

/** A saved extract by id or by name (names are unique per owner: a name two owners use is ambiguous). */
async function findSaved(saved: SavedExtracts, nameOrId: string): Promise<SavedExtract> {
  const all = await saved.all();
  const byId = all.find((e) => e.id === nameOrId);
  if (byId) return byId;
  const named = all.filter((e) => e.name === nameOrId);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new SavedExtractError('duplicate', `「${nameOrId}」という名前の抽出が複数あります。ID で指定してください: ${named.map((e) => `${e.id}（${e.owner}）`).join('、')}`);
  }
  throw new SavedExtractError('not_found', `保存された抽出「${nameOrId}」はありません。juki extract list で確かめてください。`);
}

/** Maps the wizard's errors to exit codes and messages; anything else is a failure. */
function report(e: unknown, what: string): void {
  if (e instanceof SpecError) return failWith(EXIT.usage, `定義が正しくありません: ${e.message}`);
  if (e instanceof SavedExtractError) return failWith(e.code === 'invalid' ? EXIT.usage : EXIT.failed, e.message);
  if (e instanceof ExtractPermissionError) return failWith(EXIT.failed, e.message);
  if (e instanceof ExportTooLarge) return failWith(EXIT.failed, e.message);
  failWith(EXIT.failed, `${what}: ${(e as Error).message}`);
}

async function audit(dir: string, event: AuditEvent): Promise<void> {
  await new AuditLog(dir).append({ user: CLI_USER }, event);
}

/** .csv / .xlsx from the file name. */
function formatOf(file: string): 'csv' | 'xlsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new InvalidArgumentError(`--out は .csv か .xlsx のファイル名にしてください: ${file}`);
}

interface RunOpts extends StoreOpts {
  spec?: string;
  out?: string;
  asOf?: string;
  from?: string;
  to?: string;
  purpose?: string;
  public?: boolean;
  cross?: boolean;
  k?: number;
}

async function runCommand(nameOrId: string | undefined, o: RunOpts): Promise<void> {
  if ((nameOrId === undefined) === (o.spec === undefined)) {
    return failWith(EXIT.usage, '保存された抽出の名前（または ID）か --spec <定義ファイル.json> のどちらか一方を指定してください。');
  }
  let format: 'csv' | 'xlsx' | undefined;
  try {
    format = o.out ? formatOf(o.out) : undefined;
  } catch (e) {
    return failWith(EXIT.usage, (e as Error).message);
  }
  if (o.k !== undefined && !o.public) return failWith(EXIT.usage, '--k は --public（公表用）と一緒に指定してください。');
  const stateDir = stateDirOf(o);
  const saved = new SavedExtracts(stateDir);
  let spec: ExtractSpec;
  let entry: SavedExtract | undefined;
  try {
    if (o.spec !== undefined) spec = parseSpecJson(await readFile(o.spec, 'utf8'));
    else {
      entry = await findSaved(saved, nameOrId!);
      spec = entry.spec;
    }
    spec = withDates(spec, { asOf: o.asOf, from: o.from, to: o.to });
  } catch (e) {
    return report(e, '定義を読めませんでした');
  }
  const purpose = o.purpose?.trim();
  if (o.cross && spec.output.kind === 'persons') return failWith(EXIT.usage, '--cross（クロス表）は件数の表だけです。');
  if (o.public && spec.output.kind === 'persons') return failWith(EXIT.usage, '--public（公表用・秘匿処理）は件数の表だけです。個人一覧には使えません。');
  if (spec.output.kind === 'persons' && !purpose) {
    return failWith(EXIT.usage, '個人一覧を出すには --purpose <利用目的> を指定してください（監査ログに記録します）。');
  }

  const store = await openStore(o.db, { readOnly: true }).catch((e: Error) => e);
  if (store instanceof Error) return failWith(EXIT.failed, `ストア ${o.db} を開けません: ${store.message}`);
  const extract = entry?.id ?? '(spec)';
  let compiled: CompiledSpec | undefined;
  try {
    // the CLI never includes 支援措置 subjects in a person list
    compiled = await compileSpec(store.conn, spec, { includeShien: false });
    const c = compiled;
    let event: AuditEvent;
    const published = o.public ? await publishSpec(store.conn, c, o.k ?? DEFAULT_K)
      : o.cross ? await crossOf(store.conn, c) : undefined;
    const params = published?.note ? { ...c.shown, 秘匿処理: published.note } : c.shown;
    const base = { extract, title: c.title, specHash: c.specHash, params, ...(purpose ? { purpose } : {}) };
    if (o.out && format) {
      const snap = await latestSnapshot(store.conn);
      await mkdir(path.dirname(path.resolve(o.out)), { recursive: true });
      const conditions: [string, string][] = [
        ['スナップショット', `${snap.municipalityName}（${snap.municipalityCode}）${snap.processedThrough} 処理分まで（取り込み番号 ${snap.loadId}）`],
        ...(purpose ? [['利用目的', purpose] as [string, string]] : []),
        ['作成者', CLI_USER],
        ['作成日時', nowJst()],
      ];
      let r: { rows: number; bytes: number; persons?: number };
      if (published) {
        const chunks = (async function* () {
          yield published.rows;
        })();
        const meta = { title: `${c.title}${o.public ? '（公表用）' : ''}`, conditions: [...Object.entries(params), ...conditions, ['件数', published.rows.length.toLocaleString('ja-JP')]] as [string, string][] };
        r = format === 'xlsx'
          ? await writeXlsx(o.out, published.columns, chunks, { sheetName: c.title, meta })
          : await writeCsv(o.out, published.columns, chunks, { encoding: 'utf8' });
      } else {
        r = await writeSpecFile(store.conn, c, { file: o.out, format, conditions });
      }
      console.log(`${o.out} に ${r.rows.toLocaleString('ja-JP')} 行を書きました（${r.bytes.toLocaleString('ja-JP')} バイト）。${published?.note ? `公表用: ${published.note}` : ''}`);
      event = { type: 'wizard.downloaded', ...base, format, rows: r.rows, bytes: r.bytes, ...(r.persons !== undefined ? { persons: r.persons } : {}) };
    } else {
      console.log(`${printable(c.title)}${o.public ? '（公表用）' : ''}`);
      for (const [k, v] of Object.entries(params)) console.log(`  ${k}: ${printable(v)}`);
      console.log('');
      if (published) {
        console.log(textTable(published.columns.map((k) => k.name), published.rows));
        event = { type: 'wizard.previewed', ...base, rows: published.rows.length };
      } else {
        const p = await previewSpec(store.conn, c, CLI_PREVIEW_ROWS);
        console.log(textTable(p.columns.map((k) => k.name), p.rows));
        console.log('');
        console.log(`全 ${p.total.toLocaleString('ja-JP')} 行${p.total > p.rows.length ? `（先頭 ${p.rows.length} 行を表示。全体は --out <ファイル.csv|.xlsx> で書き出せます）` : ''}`);
        event = { type: 'wizard.previewed', ...base, rows: p.total, ...(p.persons !== undefined ? { persons: p.persons } : {}) };
      }
    }
    await audit(stateDir, event);
    if (entry) await saved.recordRun(entry.id, { user: CLI_USER, spec, params: c.dates });
  } catch (e) {
    if (o.out && format && compiled) {
      await audit(stateDir, {
        type: 'wizard.download_failed', extract, title: compiled.title, specHash: compiled.specHash, format, params: compiled.shown,
        ...(purpose ? { purpose } : {}), error: (e as Error).message.slice(0, 200),
      }).catch(() => undefined);
    }
    report(e, '抽出を実行できませんでした');
  } finally {
    store.close();
  }
}

/**
 * Registers `juki extract run|list|export|import` on a commander program.
 * @example registerExtractCommand(program); // juki extract run 65歳以上 --db juki.duckdb --out 65.xlsx
 */
export function registerExtractCommand(program: Command): void {
  const extract = usageExitCode(program.command('extract')).description('ウィザードの抽出定義（保存された抽出・定義ファイル）を実行・一覧・書き出し・取り込みする');
  const stateOpt = (cmd: Command) => cmd
    .option('--state <dir>', '状態フォルダ（保存された抽出・監査ログ。省略時は --db のストアと同じフォルダの juki-state）')
    .option('--db <file>', 'ストア（DuckDB ファイル）', 'juki.duckdb');

  stateOpt(extract.command('run')
    .description('保存された抽出（名前か ID）か定義ファイルを実行する。--out がなければ先頭 20 行と総行数を表示。個人一覧は --purpose が必須で、支援措置の対象者は含めない（CLI は運用者の道具: 支援措置閲覧の扱いはない）。実行は監査ログに (cli) として記録')
    .argument('[name]', '保存された抽出の名前または ID（--spec と排他）')
    .option('--spec <file.json>', '定義ファイル（juki-extract/1 形式の JSON）')
    .option('--out <file>', '書き出すファイル（.csv = UTF-8 BOM 付き、.xlsx = 条件シート付き）')
    .option('--as-of <date>', '基準日を置き換える（対象が住民のとき。YYYY-MM-DD かキーワード）', dateOption)
    .option('--from <date>', '期間（から）を置き換える（対象が異動のとき）', dateOption)
    .option('--to <date>', '期間（まで）を置き換える（対象が異動のとき）', dateOption)
    .option('--purpose <text>', '利用目的（個人一覧では必須。監査ログに記録）')
    .option('--cross', 'クロス表（最後の分類を列に、行と列の合計つき。件数の表だけ）')
    .option('--public', '公表用（秘匿処理: k 未満の数と、それを逆算できる数を X にした集計表。件数の表だけ。最後の分類が列、ほかが行）')
    .option('--k <n>', '秘匿処理のしきい値 k（--public と一緒に。既定 3）', positiveInt))
    .action(runCommand);

  stateOpt(extract.command('list').description('保存された抽出の一覧（ID・名前・作成者・共有・対象・最終実行）'))
    .action(async (o: StoreOpts) => {
      try {
        const all = (await new SavedExtracts(stateDirOf(o)).list(OPERATOR));
        if (all.length === 0) {
          console.log('保存された抽出はまだありません（Web のウィザードで保存するか、juki extract import で取り込めます）。');
          return;
        }
        console.log(textTable(['ID', '名前', '作成者', '共有', '対象', '出力', '実行回数', '最終実行'], all.map((e) => [
          e.id, e.name, e.owner, e.sharedWithRole ?? '（共有なし）', e.spec.base.kind === 'residents' ? '住民' : '異動',
          e.spec.output.kind === 'persons' ? '個人一覧' : '件数', String(e.runs.length), e.runs.at(-1)?.at ?? '',
        ])));
      } catch (e) {
        report(e, '一覧を読めませんでした');
      }
    });

  stateOpt(extract.command('export')
    .description('保存された抽出を定義ファイル（JSON）に書き出す（他の団体と共有するため。個人の情報は含まない）')
    .argument('<name>', '保存された抽出の名前または ID')
    .option('--out <file>', '書き出すファイル（省略時は標準出力）'))
    .action(async (nameOrId: string, o: StoreOpts & { out?: string }) => {
      try {
        const saved = new SavedExtracts(stateDirOf(o));
        const json = await saved.exportJson((await findSaved(saved, nameOrId)).id, OPERATOR);
        if (o.out) {
          await writeFile(o.out, json, 'utf8');
          console.log(`${o.out} に書き出しました。`);
        } else process.stdout.write(json);
      } catch (e) {
        report(e, '書き出せませんでした');
      }
    });

  stateOpt(extract.command('import')
    .description('定義ファイル（JSON）を保存された抽出として取り込む（共有なし。名前はファイルの name か title）')
    .argument('<file.json>', '定義ファイル')
    .requiredOption('--owner <id>', '持ち主にする利用者ID（users.json に登録済みであること）')
    .option('--name <name>', '保存する名前（省略時はファイルの name、なければ title）'))
    .action(async (file: string, o: StoreOpts & { owner: string; name?: string }) => {
      const dir = stateDirOf(o);
      try {
        const owner = await new UserStore(statePaths(dir).users).get(o.owner);
        if (!owner) return failWith(EXIT.failed, `利用者ID「${o.owner}」は登録されていません（juki user list で確かめてください）。`);
        const text = await readFile(file, 'utf8');
        const e = await new SavedExtracts(dir).importJson(text, { id: owner.id, role: owner.role }, o.name !== undefined ? { name: o.name } : {});
        await audit(dir, { type: 'extract.imported', id: e.id, name: e.name, owner: e.owner, specHash: specHash(e.spec) });
        console.log(`「${e.name}」を ID ${e.id} として取り込みました（持ち主 ${e.owner}、共有なし）。`);
      } catch (e) {
        report(e, '取り込めませんでした');
      }
    });
}
