// `juki extract run|list|export|import` as separate processes on しらべ町: a definition file or a saved
// extract, the terminal preview or a CSV / XLSX file, date overrides, person lists only with --purpose
// and never with 支援措置 subjects, runs recorded on the saved extract and audited as '(cli)'.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyAudit } from '../../src/audit/log.ts';
import { UserStore } from '../../src/auth/users.ts';
import { SavedExtracts } from '../../src/wizard/saved.ts';
import { EUC_TOWN_PACKAGE } from '../fixtures/euc-town/build.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';
import { juki } from '../helpers/cli.ts';
import { load } from '../helpers/store.ts';


let dir: string;
let db: string;
let state: string;
const file = (name: string) => path.join(dir, name);

const countSpec = {
  format: 'juki-extract/1', title: '65歳以上 地区別・性別', base: { kind: 'residents', asOf: 'snapshot' },
  conditions: [{ item: '年齢', op: 'between', values: [65, 130] }], output: { kind: 'count', groupBy: ['地区', '性別'] },
};
const personSpec = { ...countSpec, title: '全員', conditions: [], output: { kind: 'persons' } };

beforeAll(async () => {
  dir = await tempDir('wizard-cli');
  db = file('town.duckdb');
  state = file('juki-state');
  await load(EUC_TOWN_PACKAGE, db);
  await writeFile(file('count.json'), JSON.stringify(countSpec));
  await writeFile(file('persons.json'), JSON.stringify(personSpec));
  await writeFile(file('bad.json'), JSON.stringify({ ...countSpec, conditions: [{ item: '年齢', op: 'between', values: [65, "130'; DROP TABLE history; --"] }] }));
  await new UserStore(path.join(state, 'users.json')).add({ id: 'tanaka', role: 'EUC担当', password: 'tanaka-password-1' });
});
afterAll(removeTempDirs);

describe('juki extract run --spec', () => {
  it('prints the conditions, the table with totals and the row count; audited as (cli)', async () => {
    const r = await juki(['extract', 'run', '--spec', file('count.json'), '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('条件1: 年齢 が 65 から 130 まで');
    const lines = r.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines).toEqual(expect.arrayContaining(['地区 性別 人数', '01 男 1', '01 女 2', '合計 合計 6', '全 9 行']));
    const [entry] = await new AuditLog(state).search({ type: 'wizard' });
    expect(entry).toMatchObject({ user: '(cli)', event: { type: 'wizard.previewed', extract: '(spec)', title: '65歳以上 地区別・性別', rows: 9 } });
  });

  it('writes CSV (UTF-8 with BOM) with a date override; a person list needs --purpose and leaves 支援措置 out', async () => {
    const csv = await juki(['extract', 'run', '--spec', file('count.json'), '--db', db, '--as-of', '2024-01-01', '--out', file('out/c.csv')]);
    expect(csv.status).toBe(0);
    const text = await readFile(file('out/c.csv'), 'utf8');
    expect(text.startsWith('\uFEFF地区,性別,人数\r\n')).toBe(true);
    expect(text).toContain('02,女,2\r\n'); // 1015 still alive on 2024-01-01

    const noPurpose = await juki(['extract', 'run', '--spec', file('persons.json'), '--db', db]);
    expect(noPurpose.status).toBe(2);
    expect(noPurpose.stderr).toContain('--purpose');

    const xlsx = await juki(['extract', 'run', '--spec', file('persons.json'), '--db', db, '--purpose', '案内の発送', '--out', file('out/p.xlsx')]);
    expect(xlsx.status).toBe(0);
    expect(xlsx.stdout).toContain('22 行');
    const csvPersons = await juki(['extract', 'run', '--spec', file('persons.json'), '--db', db, '--purpose', '案内の発送', '--out', file('out/p.csv')]);
    expect(csvPersons.status).toBe(0);
    const persons = await readFile(file('out/p.csv'), 'utf8');
    expect(persons).not.toContain('1008,');
    expect(persons.split('\r\n').filter(Boolean)).toHaveLength(23);
    const [last] = await new AuditLog(state).search({ type: 'wizard.downloaded' });
    expect(last?.event).toMatchObject({ type: 'wizard.downloaded', format: 'csv', purpose: '案内の発送', rows: 22, persons: 22 });
  });

  it('--public prints the 公表用 cross table with X, and refuses person lists', async () => {
    const [pub, persons] = await Promise.all([
      juki(['extract', 'run', '--spec', file('count.json'), '--db', db, '--public', '--k', '3']),
      juki(['extract', 'run', '--spec', file('persons.json'), '--db', db, '--public', '--purpose', 'x']),
    ]);
    expect(pub.status).toBe(0);
    const lines = pub.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines).toEqual(expect.arrayContaining(['地区 男 女 合計', '01 X X 3', '合計 3 3 6']));
    expect(pub.stdout).toContain('秘匿処理: 3 未満の数値');
    expect(persons.status).toBe(2);
    expect(persons.stderr).toContain('件数の表だけ');
  });

  it('refuses bad definitions, bad options and a missing source with exit 2 and a Japanese message', async () => {
    const [bad, both, neither, ext, asOf] = await Promise.all([
      juki(['extract', 'run', '--spec', file('bad.json'), '--db', db]),
      juki(['extract', 'run', 'x', '--spec', file('count.json'), '--db', db]),
      juki(['extract', 'run', '--db', db]),
      juki(['extract', 'run', '--spec', file('count.json'), '--db', db, '--out', file('x.txt')]),
      juki(['extract', 'run', '--spec', file('count.json'), '--db', db, '--from', '2024-01-01']),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('条件1 の 値（2番目）（conditions[0].values[1]）');
    expect(bad.stderr).toContain('整数');
    for (const r of [both, neither]) {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('どちらか一方');
    }
    expect(ext.status).toBe(2);
    expect(ext.stderr).toContain('.csv か .xlsx');
    expect(asOf.status).toBe(2);
    expect(asOf.stderr).toContain('期間（から・まで）は指定できません');
  });
});

describe('saved extracts from the command line', () => {
  it('import --owner, list, run by name (recorded on the extract), export', async () => {
    const unknown = await juki(['extract', 'import', file('count.json'), '--owner', 'nobody', '--state', state]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('登録されていません');

    const imp = await juki(['extract', 'import', file('count.json'), '--owner', 'tanaka', '--name', '高齢者 地区別', '--state', state]);
    expect(imp.status).toBe(0);
    const id = /ID ([a-z2-9]{10})/.exec(imp.stdout)?.[1];
    expect(id).toBeDefined();
    // a person list cannot be given to an owner who could not run it
    const refused = await juki(['extract', 'import', file('persons.json'), '--owner', 'tanaka', '--state', state]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('個人一覧');

    const list = await juki(['extract', 'list', '--state', state]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('高齢者 地区別');
    expect(list.stdout).toContain('tanaka');

    const run = await juki(['extract', 'run', '高齢者 地区別', '--db', db, '--state', state, '--as-of', '2024-01-01']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('基準日: 2024-01-01');
    const e = await new SavedExtracts(state).get(id!, { id: 'tanaka', role: 'EUC担当' });
    expect(e.runs).toHaveLength(1);
    expect(e.runs[0]).toMatchObject({ user: '(cli)', params: { asOf: '2024-01-01' } });
    expect(e.specs[e.runs[0]!.specHash]?.base).toEqual({ kind: 'residents', asOf: '2024-01-01' });

    const exp = await juki(['extract', 'export', id!, '--state', state]);
    expect(exp.status).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ format: 'juki-extract/1', name: '高齢者 地区別', title: '65歳以上 地区別・性別' });

    const missing = await juki(['extract', 'run', 'ない抽出', '--db', db, '--state', state]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('juki extract list');

    const types = (await new AuditLog(state).search({})).map((x) => x.event.type);
    expect(types).toContain('extract.imported');
    expect(await verifyAudit(state)).toMatchObject({ ok: true });
  });
});
