// The `juki` program with every command registered (main.ts runs it; tests inspect it).
import { Command } from 'commander';
import { registerLoadCommand } from './load.ts';
import { registerSynthCommand } from './synth.ts';
import { registerDemoCommand } from './demo.ts';
import { registerBenchCommands } from './bench.ts';
import { registerReportCommand } from './report.ts';
import { registerNightlyCommand } from './nightly.ts';
import { registerUserCommand } from './user.ts';
import { registerAuditCommand } from './audit.ts';
import { registerServeCommand } from './serve.ts';
import { registerExtractCommand } from './extract.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('juki')
    .description('住民基本台帳の統計と EUC — juki-stats')
    .showHelpAfterError();
  registerLoadCommand(program);
  registerSynthCommand(program);
  registerReportCommand(program);
  registerNightlyCommand(program);
  registerServeCommand(program);
  registerDemoCommand(program);
  registerBenchCommands(program);
  registerUserCommand(program);
  registerAuditCommand(program);
  registerExtractCommand(program);
  return program;
}
