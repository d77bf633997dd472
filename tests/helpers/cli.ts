// Test helper: runs `node bin/juki.mjs …` as a separate process, as an operator would, without
// blocking the test's event loop; stdin is a pipe (never a terminal) fed with `input`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './package.ts';

const BIN = path.join(REPO_ROOT, 'bin/juki.mjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI and resolves with its exit status and output.
 * @example const r = await juki(['user', 'list', '--state', dir]); expect(r.status).toBe(0);
 */
export function juki(args: string[], input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
