// The users of the web application: id, role (roles.ts), the separate 支援措置閲覧 permission, and a
// scrypt password hash, kept in <state>/users.json (mode 0600, written atomically, re-read when
// another process — the CLI — has changed it).
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { withFileLock, writeFileAtomic } from '../audit/files.ts';
import { nowJst } from '../reports/common/provenance.ts';
import { ROLES, type Role } from './roles.ts';

export interface User {
  id: string;
  role: Role;
  /** 支援措置閲覧: may see 支援措置 subjects in person lists */
  shien: boolean;
  disabled: boolean;
  /** ISO with +09:00 */
  createdAt: string;
  /** 'scrypt$N$r$p$saltB64$hashB64' */
  passwordHash: string;
}

/** A user without the password hash, for lists. */
export type UserInfo = Omit<User, 'passwordHash'>;

/** Why a login failed (the audit's login.failed reasons that the store can tell). */
export type AuthResult = { ok: true; user: User } | { ok: false; reason: 'unknown_user' | 'disabled' | 'password' };

/** A refused user change (bad id, weak password, duplicate or unknown user); the message is for the user. */
export class UserError extends Error {
  constructor(message: string, readonly code: 'invalid' | 'duplicate' | 'unknown') {
    super(message);
  }
}

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 256;
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64, saltLength: 16 } as const;
/** Unambiguous letters and digits (no 0 O o 1 l I i). */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
/** Letters, digits and . _ - @, starting with a letter or digit, at most 64. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * The scrypt hash of a password, as 'scrypt$N$r$p$saltB64$hashB64' (fresh 16-byte salt).
 * @example await hashPassword('correct horse battery') // 'scrypt$16384$8$1$…$…'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const { N, r, p } = SCRYPT;
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N, r, p, maxmem: 256 * N * r });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether a password matches a stored hash (constant-time comparison). A malformed hash matches
 * nothing.
 * @example await checkPassword('correct horse battery', user.passwordHash) // true
 */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  // Bounds keep a tampered users.json from making a check take minutes or gigabytes.
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  if (salt.length < 8 || expected.length < 16 || expected.length > 128) return false;
  const key = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/**
 * A random 16-character password from PASSWORD_ALPHABET (crypto.randomInt; ~92 bits).
 * @example generatePassword() // 'k7QmZt3WfRp9XbHe'
 */
export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/**
 * Why a password is refused (Japanese), or undefined when it is acceptable (≥ 10 characters).
 * @example passwordProblem('short') // 'パスワードは 10 文字以上にしてください（5 文字です）。'
 */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `パスワードは ${MIN_PASSWORD_LENGTH} 文字以上にしてください（${length} 文字です）。`;
  if (length > MAX_PASSWORD_LENGTH) return `パスワードは ${MAX_PASSWORD_LENGTH} 文字以下にしてください。`;
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'パスワードに制御文字（改行など）は使えません。';
  return undefined;
}

/**
 * Why a user id is refused (Japanese), or undefined when it is acceptable.
 * @example idProblem('tanaka.h') // undefined
 */
export function idProblem(id: string): string | undefined {
  if (!ID_PATTERN.test(id)) return `利用者ID「${id.slice(0, 64)}」は使えません。半角英数字と . _ - @ で 64 文字まで（先頭は英数字）にしてください。`;
  return undefined;
}

const UserSchema = z.object({
  id: z.string(),
  role: z.enum(ROLES as [Role, ...Role[]]),
  shien: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  passwordHash: z.string(),
});
const FileSchema = z.object({ version: z.literal(1), users: z.array(UserSchema) });

let dummyHash: Promise<string> | undefined;

/**
 * The users in one users.json. Reads are cached and re-read when the file changes (mtime, size or
 * inode); changes are serialised in-process and across processes (a lock file beside it) and
 * written atomically with mode 0600.
 * @example const users = new UserStore(path.join(stateDir, 'users.json')); await users.verify('tanaka', pw);
 */
export class UserStore {
  private cache: { key: string; users: User[] } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {
    // computed ahead, so the first unknown-user login takes no longer than the others
    dummyHash ??= hashPassword(generatePassword());
  }

  private async read(): Promise<User[]> {
    let info;
    try {
      info = await stat(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const key = `${info.ino}:${info.mtimeMs}:${info.size}`;
    if (this.cache?.key === key) return this.cache.users;
    const text = await readFile(this.file, 'utf8');
    let parsed;
    try {
      parsed = FileSchema.parse(JSON.parse(text));
    } catch {
      throw new Error(`利用者ファイル ${this.file} が壊れています（JSON として読めないか、項目が足りません）。`);
    }
    this.cache = { key, users: parsed.users };
    return parsed.users;
  }

  /** Applies a change to a fresh read of the file and writes it, holding the lock. */
  private change<T>(apply: (users: User[]) => T): Promise<T> {
    const run = this.queue.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      return withFileLock(`${this.file}.lock`, async () => {
        const users = (await this.read()).map((u) => ({ ...u }));
        const result = apply(users);
        await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, users }, null, 2)}\n`, 0o600);
        this.cache = undefined;
        return result;
      });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Every user, without password hashes, sorted by id. */
  async list(): Promise<UserInfo[]> {
    return (await this.read())
      .map(({ passwordHash: _, ...info }) => info)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One user (a copy), or undefined. */
  async get(id: string): Promise<User | undefined> {
    const user = (await this.read()).find((u) => u.id === id);
    return user && { ...user };
  }

  /**
   * Adds a user. Throws UserError for a bad id, a weak password or an id already taken.
   * @example await users.add({ id: 'tanaka', role: '閲覧者', password: generatePassword() });
   */
  async add(u: { id: string; role: Role; shien?: boolean; password: string }, now = new Date()): Promise<void> {
    const problem = idProblem(u.id) ?? passwordProblem(u.password);
    if (problem) throw new UserError(problem, 'invalid');
    const passwordHash = await hashPassword(u.password);
    await this.change((users) => {
      if (users.some((x) => x.id === u.id)) throw new UserError(`利用者ID「${u.id}」はすでに登録されています。`, 'duplicate');
      users.push({ id: u.id, role: u.role, shien: u.shien ?? false, disabled: false, createdAt: nowJst(now), passwordHash });
    });
  }

  /** Sets a new password (≥ 10 characters). Throws UserError for an unknown user or a weak password. */
  async setPassword(id: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new UserError(problem, 'invalid');
    const passwordHash = await hashPassword(password);
    await this.change((users) => {
      this.find(users, id).passwordHash = passwordHash;
    });
  }

  /** Disables (true) or re-enables (false) a user; a disabled user cannot log in. */
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.change((users) => {
      this.find(users, id).disabled = disabled;
    });
  }

  private find(users: User[], id: string): User {
    const user = users.find((x) => x.id === id);
    if (!user) throw new UserError(`利用者ID「${id}」は登録されていません。`, 'unknown');
    return user;
  }

  /**
   * Checks a login and says why it failed. Takes as long for an unknown or disabled user as for a
   * wrong password (a dummy scrypt runs), so timing does not reveal which ids exist.
   * @example const r = await users.authenticate('tanaka', pw); if (!r.ok) audit(r.reason);
   */
  async authenticate(id: string, password: string): Promise<AuthResult> {
    const user = await this.get(id);
    if (!user) {
      await checkPassword(password, await (dummyHash ??= hashPassword(generatePassword())));
      return { ok: false, reason: 'unknown_user' };
    }
    const ok = await checkPassword(password, user.passwordHash);
    if (user.disabled) return { ok: false, reason: 'disabled' };
    return ok ? { ok: true, user } : { ok: false, reason: 'password' };
  }

  /**
   * The user when the id and password are right and the user is enabled; else undefined.
   * @example const user = await users.verify('tanaka', pw);
   */
  async verify(id: string, password: string): Promise<User | undefined> {
    const r = await this.authenticate(id, password);
    return r.ok ? r.user : undefined;
  }
}
