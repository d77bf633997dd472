// Docs are tested: every CLI command and option, and every setting, is documented in the README.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.ts';
import { repoRoot } from '../src/store/db.ts';
import { catalogue } from '../src/euc/catalogue.ts';
import { ROLES } from '../src/auth/roles.ts';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with the two commands: the demo and the test suite', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.trim().split('\n').map((l) => l.replace(/#.*$/, '').trim());
    expect(commands).toEqual(['npm install && npm run demo', 'npm install && npm test']);
    expect(readFileSync(path.join(repoRoot, '.ci/run'), 'utf8')).toContain(`\n${commands[1]}\n`);
  });

  it('documents every juki command and its options', () => {
    const missing: string[] = [];
    const visit = (cmd: Command, prefix: string) => {
      for (const sub of cmd.commands) {
        if ((sub as unknown as { _hidden?: boolean })._hidden) continue;
        const name = `${prefix} ${sub.name()}`;
        if (sub.commands.length > 0) {
          visit(sub, name);
          continue;
        }
        if (!readme.includes(name)) missing.push(name);
        for (const opt of sub.options) if (!readme.includes(opt.long!)) missing.push(`${name} ${opt.long}`);
      }
    };
    visit(buildProgram(), 'juki');
    expect(missing).toEqual([]);
  });

  it('documents every setting', () => {
    const settingsSource = readFileSync(path.join(repoRoot, 'src/settings.ts'), 'utf8');
    const names = [...settingsSource.matchAll(/'(JUKI_[A-Z_]+)'/g), ...settingsSource.matchAll(/process\.env\.(JUKI_[A-Z_]+)/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(readme, name).toContain(name);
  });

  it('documents every table and macro of the store', () => {
    for (const file of ['store/schema.sql', 'store/asof.sql']) {
      const sql = readFileSync(path.join(repoRoot, 'queries', file), 'utf8');
      const names = [...sql.matchAll(/CREATE (?:TABLE IF NOT EXISTS|OR REPLACE MACRO) (\w+)/g)].map((m) => m[1]!);
      for (const name of names) {
        if (name.startsWith('master_')) continue;
        expect(readme, name).toContain(name);
      }
    }
  });

  it('documents every standard extract, every role and the audit', () => {
    for (const def of catalogue()) expect(readme, def.id).toContain(`| ${def.id} | ${def.title}`);
    for (const role of ROLES) expect(readme, role).toContain(`| ${role} (`);
    expect(readme).toContain('juki audit verify');
    expect(readme).toContain('### What is audited');
  });
});
