// What every route of the web server shares: the store, the users, the audit log, sessions and
// downloads, and the per-request variables (the logged-in user and their session).
import type { Context } from 'hono';
import type { StoreHandle } from './store-handle.ts';
import type { Sessions, Lockout, Session } from './sessions.ts';
import type { Downloads } from './downloads.ts';
import type { UserStore, User } from '../auth/users.ts';
import type { AuditLog } from '../audit/log.ts';

export interface Deps {
  /** the store file (read-only here; loads replace it) */
  db: string;
  /** users.json, audit.jsonl, exports/ and reports/ */
  stateDir: string;
  store: StoreHandle;
  users: UserStore;
  audit: AuditLog;
  sessions: Sessions;
  lockout: Lockout;
  downloads: Downloads;
  /** named limits (src/settings.ts); tests lower them */
  limits: Limits;
}

export interface Limits {
  queryTimeoutMs: number;
  previewRows: number;
  xlsxMaxRows: number;
}

export interface AppEnv {
  Variables: {
    session: Session;
    user: User;
  };
}

/** Who made a request, for the audit log. */
export function who(c: Context<AppEnv>): { user: string; role?: string; ip?: string } {
  const user = c.get('user');
  return { user: user?.id ?? '(未ログイン)', role: user?.role, ip: clientIp(c) };
}

/** The peer address (the server listens on the municipal network; no proxy headers are trusted). */
export function clientIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? undefined;
}
