// The `juki` command line: load, synth, demo, bench (more commands register themselves here).
import { Command } from 'commander';
import { registerLoadCommand } from './load.ts';
import { registerSynthCommand } from './synth.ts';
import { registerDemoCommand } from './demo.ts';
import { registerBenchCommands } from './bench.ts';

const program = new Command();
program
  .name('juki')
  .description('住民基本台帳の統計と EUC — juki-stats')
  .showHelpAfterError();

registerLoadCommand(program);
registerSynthCommand(program);
registerDemoCommand(program);
registerBenchCommands(program);

await program.parseAsync(process.argv);
