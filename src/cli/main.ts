// The `juki` command line: load, synth, demo, bench (more commands register themselves here).
import { Command } from 'commander';
import { registerLoadCommand } from './load.ts';

const program = new Command();
program
  .name('juki')
  .description('住民基本台帳の統計と EUC — juki-stats')
  .showHelpAfterError();

registerLoadCommand(program);

const optional = [
  import('./synth.ts').then((m) => m.registerSynthCommand(program)).catch(() => undefined),
];
await Promise.all(optional);

await program.parseAsync(process.argv);
