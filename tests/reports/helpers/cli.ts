// Test-only entry point: a `juki` program with just the report and nightly commands registered
// (src/cli/main.ts wires them for real). Run with `node --import tsx tests/reports/helpers/cli.ts …`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerReportCommand } from '../../../src/cli/report.ts';
import { registerNightlyCommand } from '../../../src/cli/nightly.ts';

const here = fileURLToPath(import.meta.url);

/** Runs the test CLI in a child process and returns its exit code and output. */
export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', here, ...args], {
    cwd: path.resolve(path.dirname(here), '../../..'), encoding: 'utf8', timeout: 180_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const program = new Command().name('juki').showHelpAfterError();
  registerReportCommand(program);
  registerNightlyCommand(program);
  await program.parseAsync(process.argv);
}
