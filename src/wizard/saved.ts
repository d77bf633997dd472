// Saved wizard extracts (euc.md §2, issue #5 item 2): named, owned, shareable with a role, re-runnable
// with new dates, each run recording the definition it used. One JSON file per extract in
// <state>/extracts/<id>.json, written atomically under a lock (the web server and the CLI share it).
// Export / import is the definition file ("juki-extract/1" + name) so municipalities can share them.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { withFileLock, writeFileAtomic } from '../audit/files.ts';
import { ROLE_LEVEL, ROLES, type Role } from '../auth/roles.ts';
import { nowJst } from '../reports/common/provenance.ts';
import { MAX_TITLE, SPEC_FORMAT, SpecError, parseSpec, parseSpecJson, specHash, type ExtractSpec } from './spec.ts';

/** Runs kept per saved extract (the oldest are dropped). */
export const MAX_RUNS = 100;

/** One run of a saved extract: who, when, the definition's hash and the dates as resolved. */
export interface SavedRun {
  at: string;
  user: string;
  specHash: string;
  params: Record<string, string>;
}

export interface SavedExtract {
  id: string;
  name: string;
  owner: string;
  /** Users whose role is at least this level see it (and may run it, role permitting); null = the owner only. */
  sharedWithRole: Role | null;
  spec: ExtractSpec;
  createdAt: string;
  updatedAt: string;
  /** Newest last, at most MAX_RUNS. */
  runs: SavedRun[];
  /** Every definition a kept run used, by specHash (so "the definition it used" can be shown, not just its hash). */
  specs: Record<string, ExtractSpec>;
}

/** Who is asking: the user's id and role. */
export interface ExtractUser {
  id: string;
  role: Role;
}

/** Not allowed (not the owner, role too low …); the message is Japanese. The server answers 403. */
export class ExtractPermissionError extends Error {
  override readonly name = 'ExtractPermissionError';
}

/** Not found (404), name already used by the owner (409), or a bad name / file (400). */
export class SavedExtractError extends Error {
  override readonly name = 'SavedExtractError';
  constructor(readonly code: 'not_found' | 'duplicate' | 'invalid', message: string) {
    super(message);
  }
}

const ID = /^[a-z2-9]{10}$/;
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random slug (10 characters of an unambiguous alphabet, ~50 bits). */
function newId(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

const RoleSchema = z.enum(ROLES as unknown as [Role, ...Role[]]);
const FileSchema = z.object({
  id: z.string().regex(ID),
  name: z.string(),
  owner: z.string(),
  sharedWithRole: RoleSchema.nullable(),
  spec: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
  runs: z.array(z.object({ at: z.string(), user: z.string(), specHash: z.string(), params: z.record(z.string(), z.string()) })),
  specs: z.record(z.string(), z.unknown()).default({}),
});

/** A checked name: trimmed, 1…100 characters, no control characters. */
function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new SavedExtractError('invalid', '名前を入力してください。');
  const n = name.trim();
  if ([...n].length > MAX_TITLE) throw new SavedExtractError('invalid', `名前は ${MAX_TITLE} 文字以内にしてください。`);
  if (/[\u0000-\u001f\u007f]/.test(n)) throw new SavedExtractError('invalid', '名前に制御文字は使えません。');
  return n;
}

function checkRole(role: unknown): Role | null {
  if (role === null || role === undefined || role === '') return null;
  if (typeof role === 'string' && (ROLES as readonly string[]).includes(role)) return role as Role;
  throw new SavedExtractError('invalid', `共有する役割は ${ROLES.join('・')} のいずれか（または共有しない）です。`);
}

/**
 * The lowest role that may run a definition: counts need EUC担当, person lists 個人一覧.
 * @example roleToRun(parseSpec({ …, output: { kind: 'persons' } })) // '個人一覧'
 */
export function roleToRun(spec: ExtractSpec): Role {
  return spec.output.kind === 'persons' ? '個人一覧' : 'EUC担当';
}

/**
 * Whether a role may run a definition (counts: EUC担当 and up; person lists: 個人一覧 and up).
 * @example canRun(spec, 'EUC担当') // false for a person list
 */
export function canRun(spec: ExtractSpec, role: Role): boolean {
  return ROLE_LEVEL[role] >= ROLE_LEVEL[roleToRun(spec)];
}

function canEdit(e: SavedExtract, user: ExtractUser): boolean {
  return e.owner === user.id || user.role === '管理者';
}

function canSee(e: SavedExtract, user: ExtractUser): boolean {
  return canEdit(e, user) || (e.sharedWithRole !== null && ROLE_LEVEL[user.role] >= ROLE_LEVEL[e.sharedWithRole]);
}

/** Refuses saving a definition the user could not run (a person list needs 個人一覧). */
function checkMayKeep(spec: ExtractSpec, user: ExtractUser): void {
  if (!canRun(spec, user.role)) {
    throw new ExtractPermissionError(spec.output.kind === 'persons'
      ? '個人一覧の定義を保存するには「個人一覧」以上の役割が必要です。'
      : '抽出を保存するには「EUC担当」以上の役割が必要です。');
  }
}

/** The stored definition without `name` (the saved extract's name is kept beside it). */
function bare(spec: ExtractSpec): ExtractSpec {
  const { name: _name, ...rest } = spec;
  return rest;
}

/**
 * The saved extracts of a state directory. Every change is read-modify-write under
 * <state>/extracts/.lock; each file is replaced atomically.
 * @example
 * const saved = new SavedExtracts(stateDir);
 * const e = await saved.save({ name: '65歳以上 地区別', spec, sharedWithRole: 'EUC担当' }, { id: 'tanaka', role: 'EUC担当' });
 * await saved.recordRun(e.id, { user: 'tanaka', specHash: specHash(spec), params: { asOf: '2025-01-01' } });
 */
export class SavedExtracts {
  readonly dir: string;
  private readonly lockFile: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'extracts');
    this.lockFile = path.join(this.dir, '.lock');
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private async read(id: string): Promise<SavedExtract | undefined> {
    if (!ID.test(id)) return undefined;
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const raw = FileSchema.safeParse(JSON.parse(text));
    if (!raw.success || raw.data.id !== id) throw new Error(`保存された抽出 ${id} のファイルが壊れています（${this.file(id)}）。`);
    const specs: Record<string, ExtractSpec> = {};
    for (const [h, s] of Object.entries(raw.data.specs)) specs[h] = parseSpec(s);
    return { ...raw.data, spec: parseSpec(raw.data.spec), specs };
  }

  private async readAll(): Promise<SavedExtract[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: SavedExtract[] = [];
    for (const n of names.sort()) {
      const m = /^([a-z2-9]{10})\.json$/.exec(n);
      if (!m) continue;
      try {
        const e = await this.read(m[1]!);
        if (e) out.push(e);
      } catch {
        // a damaged file is left for the operator (get() names it); the others stay usable
      }
    }
    return out;
  }

  private async write(e: SavedExtract): Promise<void> {
    await writeFileAtomic(this.file(e.id), `${JSON.stringify(e, null, 2)}\n`, 0o600);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    return mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => withFileLock(this.lockFile, work));
  }

  private async checkUnique(owner: string, name: string, except?: string): Promise<void> {
    const clash = (await this.readAll()).find((e) => e.owner === owner && e.name === name && e.id !== except);
    if (clash) throw new SavedExtractError('duplicate', `「${name}」という名前の抽出はすでに保存されています。別の名前にしてください。`);
  }

  /**
   * The extracts a user sees: their own, those shared with a role they have (levels are cumulative),
   * and for the 管理者 all. Sorted by name.
   * @example (await saved.list({ id: 'tanaka', role: 'EUC担当' })).map((e) => e.name)
   */
  async list(user: ExtractUser): Promise<SavedExtract[]> {
    return (await this.readAll()).filter((e) => canSee(e, user)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  }

  /**
   * Every saved extract (the command line, which is the operator's tool).
   * @example await saved.all()
   */
  async all(): Promise<SavedExtract[]> {
    return this.readAll();
  }

  /**
   * One extract the user may see; SavedExtractError 'not_found' otherwise (also when it exists but is
   * not visible to the user, so ids cannot be probed).
   * @example await saved.get('k3m9x2pq7a', user)
   */
  async get(id: string, user: ExtractUser): Promise<SavedExtract> {
    const e = await this.read(id);
    if (!e || !canSee(e, user)) throw new SavedExtractError('not_found', '指定の保存された抽出はありません（または見る権限がありません）。');
    return e;
  }

  /**
   * Saves a new extract owned by `user`. The name must be unused among the user's extracts.
   * @example await saved.save({ name: '外国人 国籍別', spec, sharedWithRole: null }, user)
   */
  async save(input: { name: string; spec: ExtractSpec; sharedWithRole?: Role | null }, user: ExtractUser): Promise<SavedExtract> {
    const name = checkName(input.name);
    const spec = bare(parseSpec(input.spec));
    const sharedWithRole = checkRole(input.sharedWithRole);
    checkMayKeep(spec, user);
    return this.locked(async () => {
      await this.checkUnique(user.id, name);
      let id = newId();
      while (await this.read(id)) id = newId();
      const now = nowJst();
      const e: SavedExtract = { id, name, owner: user.id, sharedWithRole, spec, createdAt: now, updatedAt: now, runs: [], specs: {} };
      await this.write(e);
      return e;
    });
  }

  /**
   * Changes the name, definition or sharing; only the owner or a 管理者.
   * @example await saved.update(id, { sharedWithRole: 'EUC担当' }, user)
   */
  async update(id: string, patch: { name?: string; spec?: ExtractSpec; sharedWithRole?: Role | null }, user: ExtractUser): Promise<SavedExtract> {
    const name = patch.name !== undefined ? checkName(patch.name) : undefined;
    const spec = patch.spec !== undefined ? bare(parseSpec(patch.spec)) : undefined;
    const sharedWithRole = patch.sharedWithRole !== undefined ? checkRole(patch.sharedWithRole) : undefined;
    if (spec) checkMayKeep(spec, user);
    return this.locked(async () => {
      const e = await this.get(id, user);
      if (!canEdit(e, user)) throw new ExtractPermissionError('この抽出を変更できるのは作成者と管理者だけです。');
      if (name !== undefined && name !== e.name) await this.checkUnique(e.owner, name, e.id);
      const next: SavedExtract = {
        ...e,
        ...(name !== undefined ? { name } : {}),
        ...(spec !== undefined ? { spec } : {}),
        ...(sharedWithRole !== undefined ? { sharedWithRole } : {}),
        updatedAt: nowJst(),
      };
      await this.write(next);
      return next;
    });
  }

  /**
   * Deletes an extract; only the owner or a 管理者.
   * @example await saved.remove(id, user)
   */
  async remove(id: string, user: ExtractUser): Promise<SavedExtract> {
    return this.locked(async () => {
      const e = await this.get(id, user);
      if (!canEdit(e, user)) throw new ExtractPermissionError('この抽出を削除できるのは作成者と管理者だけです。');
      await unlink(this.file(id));
      return e;
    });
  }

  /**
   * Records a run (the caller has already checked that the user may run it): the definition used
   * (its hash; the definition itself is kept under `specs` while a run refers to it) and the dates as
   * resolved. Keeps the newest MAX_RUNS runs.
   * @example await saved.recordRun(e.id, { user: 'tanaka', spec: usedSpec, params: compiled.dates })
   */
  async recordRun(id: string, run: { user: string; spec: ExtractSpec; params: Record<string, string>; at?: string }): Promise<SavedRun> {
    const used = bare(parseSpec(run.spec));
    const hash = specHash(used);
    return this.locked(async () => {
      const e = await this.read(id);
      if (!e) throw new SavedExtractError('not_found', '指定の保存された抽出はありません。');
      const entry: SavedRun = { at: run.at ?? nowJst(), user: run.user, specHash: hash, params: { ...run.params } };
      const runs = [...e.runs, entry].slice(-MAX_RUNS);
      const keep = new Set(runs.map((r) => r.specHash));
      const specs: Record<string, ExtractSpec> = {};
      for (const [h, s] of Object.entries({ ...e.specs, [hash]: used })) if (keep.has(h)) specs[h] = s;
      await this.write({ ...e, runs, specs });
      return entry;
    });
  }

  /**
   * The definition file of an extract for sharing: "juki-extract/1" with its name, pretty-printed.
   * @example writeFileSync('65歳以上.json', await saved.exportJson(id, user))
   */
  async exportJson(id: string, user: ExtractUser): Promise<string> {
    const e = await this.get(id, user);
    const { format, title, ...rest } = e.spec;
    return `${JSON.stringify({ format, name: e.name, title, ...rest }, null, 2)}\n`;
  }

  /**
   * Imports a definition file (validated with parseSpec) as a new extract owned by `user`, named
   * `opts.name`, else the file's name, else its title; not shared.
   * @example await saved.importJson(readFileSync('65歳以上.json', 'utf8'), user)
   */
  async importJson(text: string, user: ExtractUser, opts: { name?: string } = {}): Promise<SavedExtract> {
    let spec: ExtractSpec;
    try {
      spec = parseSpecJson(text);
    } catch (e) {
      if (e instanceof SpecError) throw new SavedExtractError('invalid', `取り込めない定義です: ${e.message}`);
      throw e;
    }
    if (spec.format !== SPEC_FORMAT) throw new SavedExtractError('invalid', `形式が ${SPEC_FORMAT} ではありません。`);
    return this.save({ name: opts.name ?? spec.name ?? spec.title, spec, sharedWithRole: null }, user);
  }
}
