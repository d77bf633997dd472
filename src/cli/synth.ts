// `juki synth`: generate a synthetic municipality's snapshot package (see src/synth).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { synthesize } from '../synth/index.ts';

function positiveInt(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

/**
 * Register `juki synth --residents N --seed S --out DIR [--encoding CP932|UTF-8] [--designated-city]
 * [--years 11] [--processed-through YYYY-MM-DD] [--delta-days K]` on a commander program.
 */
export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('合成の自治体データ (snapshot package) を生成する: generate a synthetic municipality snapshot package')
    .requiredOption('--residents <n>', '現存 residents at the end (±2%)', positiveInt('--residents', 10))
    .option('--seed <s>', 'random seed: same options and seed give byte-identical files', '1')
    .requiredOption('--out <dir>', 'output directory')
    .option('--encoding <enc>', 'CSV encoding: UTF-8 (with BOM) or CP932', 'UTF-8')
    .option('--designated-city', 'a designated city (みほん市, 471003) with 5 wards', false)
    .option('--years <n>', 'years of history', positiveInt('--years', 1), 11)
    .option('--processed-through <date>', 'last 処理日 in the package (YYYY-MM-DD)', '2025-12-31')
    .option('--delta-days <k>', 'also write K nightly delta packages for the following days', positiveInt('--delta-days', 0), 0)
    .action(async (o: { residents: number; seed: string; out: string; encoding: string; designatedCity: boolean; years: number; processedThrough: string; deltaDays: number }) => {
      const enc = o.encoding.toUpperCase().replace(/^UTF8$/, 'UTF-8').replace(/^(SJIS|SHIFT_JIS|WINDOWS-31J)$/, 'CP932');
      if (enc !== 'UTF-8' && enc !== 'CP932') throw new InvalidArgumentError('--encoding must be UTF-8 or CP932');
      const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ format: '合成 {bar} {value}/{total} 人 ({percentage}%) {duration}s' }, cliProgress.Presets.shades_classic) : null;
      bar?.start(o.residents, 0);
      const started = Date.now();
      const r = await synthesize({
        residents: o.residents, seed: o.seed, out: o.out, encoding: enc, designatedCity: o.designatedCity, years: o.years,
        processedThrough: o.processedThrough, deltaDays: o.deltaDays,
        progress: (done) => bar?.update(done),
      });
      bar?.stop();
      const s = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${r.municipalityName} (${r.municipalityCode}) → ${r.dir}: 現存 ${r.residentsCount}人, 住民.csv ${r.personsCount}行, 異動履歴.csv ${r.historyRows}行, processedThrough ${r.processedThrough} (${s}s)`);
      for (const d of r.nightly) console.log(`  nightly: ${d}`);
    });
}
