// Entry point of the `juki` command line (bin/juki.mjs imports this).
import { buildProgram } from './program.ts';

await buildProgram().parseAsync(process.argv);
