// `juki report nenpo|zairyu`: the 住民基本台帳関係年報 and the 定期報告 from the store, as CSV and
// XLSX. The 整合性チェック is printed; a failed check still writes the report and exits with code 3.
import { type Command, InvalidArgumentError } from 'commander';
import { runNenpo, formatChecks, type ReportFormat } from '../reports/nenpo/index.ts';
import { runZairyu } from '../reports/zairyu/index.ts';
import { writePublicVariants } from '../reports/publish.ts';
import path from 'node:path';

/** `--format xlsx,csv` → ['xlsx', 'csv']. */
export function parseFormats(value: string): ReportFormat[] {
  const parts = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const p of parts) if (p !== 'csv' && p !== 'xlsx') throw new InvalidArgumentError(`--format は csv, xlsx（カンマ区切り）です: ${p}`);
  if (parts.length === 0) throw new InvalidArgumentError('--format が空です');
  return [...new Set(parts)] as ReportFormat[];
}

function parseYear(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value) || !Number.isInteger(n)) throw new InvalidArgumentError(`--year は西暦4桁です（例 2022）: ${value}`);
  return n;
}

function parseK(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`--k は 1〜100 の整数です: ${value}`);
  return n;
}

function parseMonth(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError(`YYYY-MM の形で指定してください: ${value}`);
  return value;
}

interface CommonOpts {
  public?: boolean;
  k: number;
  db: string;
  out: string;
  format: ReportFormat[];
  bom?: boolean;
  template?: string;
}

/** Exit code for a report: 0, or 3 when a 整合性チェック failed (the files are written anyway). */
export const EXIT_CHECK_FAILED = 3;

/**
 * Registers `juki report nenpo` and `juki report zairyu` on a commander program.
 * @example const program = new Command(); registerReportCommand(program); await program.parseAsync(argv);
 */
export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('報告を作成する（年報 nenpo、在留外国人の定期報告 zairyu）');
  const common = (cmd: Command) => cmd
    .requiredOption('--db <file>', 'ストア（DuckDB ファイル）')
    .requiredOption('--out <dir>', '出力フォルダ（なければ作成）')
    .option('--format <list>', '出力形式 csv,xlsx（カンマ区切り）', parseFormats, ['csv', 'xlsx'] as ReportFormat[])
    .option('--bom', 'CSV の先頭に BOM を付ける（Excel でそのまま開くとき）')
    .option('--template <file>', 'Excel テンプレート（省略時は templates/ の既定）')
    .option('--public', '公表用（秘匿処理）の CSV も書く（<表名>_公表用.csv。--format に csv が要る）')
    .option('--k <n>', '秘匿の閾値（この数未満を X）', parseK, 3);

  /** Writes the 公表用 CSVs beside the report's CSVs (src/reports/publish.ts) and prints them. */
  const publicVariants = async (o: CommonOpts, files: string[]) => {
    if (!o.public) return;
    if (!o.format.includes('csv')) throw new Error('--public には --format に csv が必要です');
    const r = await writePublicVariants(files, { k: o.k, bom: o.bom });
    for (const f of r.files) console.log(`  ${f}（公表用: ${r.notes[path.basename(f)]}）`);
  };

  common(report.command('nenpo')
    .description('住民基本台帳関係年報（人口・世帯数・人口動態、年齢階級別・各歳別人口、整合性チェック）')
    .requiredOption('--year <Y>', '報告年（基準日 Y年1月1日、人口動態は Y−1 年）', parseYear))
    .action(async (o: CommonOpts & { year: number }) => {
      try {
        const r = await runNenpo({ db: o.db, year: o.year, outDir: o.out, formats: o.format, bom: o.bom, template: o.template });
        for (const f of r.files) console.log(`  ${f}`);
        await publicVariants(o, r.files);
        for (const w of r.warnings) console.log(`注意: ${w}`);
        console.log(formatChecks(r.checks).join('\n'));
        console.log(`結果キー ${r.provenance.resultKey.slice(0, 16)}（スナップショット ${r.provenance.processedThrough}、クエリ版 ${r.provenance.queryVersion.slice(0, 12)}）`);
        if (!r.ok) {
          console.error('整合性チェックに不合格の項目があります。報告は作成しましたが、提出の前に 整合性チェック.csv の NG の行と該当者を確認してください。');
          process.exitCode = EXIT_CHECK_FAILED;
        }
      } catch (e) {
        console.error(`年報を作成できませんでした: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });

  common(report.command('zairyu')
    .description('中長期在留者住居地届出等事務に関する定期報告（既定: スナップショットの前年度 4月〜3月）')
    .option('--from <YYYY-MM>', '最初の月', parseMonth)
    .option('--to <YYYY-MM>', '最後の月', parseMonth))
    .action(async (o: CommonOpts & { from?: string; to?: string }) => {
      try {
        const r = await runZairyu({ db: o.db, from: o.from, to: o.to, outDir: o.out, formats: o.format, bom: o.bom, template: o.template });
        console.log(`定期報告 ${r.period.from}〜${r.period.to}`);
        for (const f of r.files) console.log(`  ${f}`);
        await publicVariants(o, r.files);
        for (const w of r.warnings) console.log(`注意: ${w}`);
      } catch (e) {
        console.error(`定期報告を作成できませんでした: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
