// Login sessions (in server memory: a restart logs everyone out) and the lock-out after repeated
// failed logins. Tokens are 32 random bytes; the CSRF token is per session.
import { randomBytes } from 'node:crypto';
import { settings } from '../settings.ts';

export interface Session {
  token: string;
  userId: string;
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

/** Absolute session lifetime, whatever the activity (a working day). */
const MAX_AGE_MS = 10 * 60 * 60 * 1000;

export class Sessions {
  private byToken = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now, private readonly idleMs = settings.sessionIdleMinutes * 60_000) {}

  /**
   * Starts a session for a user who has just logged in.
   * @example const s = sessions.create('tanaka'); // set s.token as the cookie
   */
  create(userId: string): Session {
    const t = this.now();
    const s: Session = { token: randomBytes(32).toString('base64url'), userId, csrf: randomBytes(24).toString('base64url'), createdAt: t, lastSeen: t };
    this.byToken.set(s.token, s);
    return s;
  }

  /** The live session of a cookie token (touching it), or undefined when unknown or expired. */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.idleMs || t - s.createdAt > MAX_AGE_MS) {
      this.byToken.delete(token);
      return undefined;
    }
    s.lastSeen = t;
    return s;
  }

  end(token: string | undefined): void {
    if (token) this.byToken.delete(token);
  }

  /** Ends every session of a user (disabled, password changed). */
  endUser(userId: string): void {
    for (const [token, s] of this.byToken) if (s.userId === userId) this.byToken.delete(token);
  }
}

interface Failures {
  count: number;
  lockedUntil: number;
}

/** Consecutive failed logins per 利用者ID; locked for a while after too many. */
export class Lockout {
  private failures = new Map<string, Failures>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxFailures = settings.loginMaxFailures,
    private readonly lockMs = settings.loginLockMinutes * 60_000,
  ) {}

  /** Milliseconds the account stays locked (0 when not locked). */
  lockedFor(userId: string): number {
    const f = this.failures.get(userId);
    if (!f) return 0;
    return Math.max(0, f.lockedUntil - this.now());
  }

  /**
   * Records a failed login; returns true when this failure locked the account.
   * @example if (lockout.fail('tanaka')) audit('login.locked')
   */
  fail(userId: string): boolean {
    const f = this.failures.get(userId) ?? { count: 0, lockedUntil: 0 };
    if (f.lockedUntil && f.lockedUntil <= this.now()) {
      f.count = 0;
      f.lockedUntil = 0;
    }
    f.count++;
    this.failures.set(userId, f);
    if (f.count >= this.maxFailures && !f.lockedUntil) {
      f.lockedUntil = this.now() + this.lockMs;
      return true;
    }
    return false;
  }

  succeed(userId: string): void {
    this.failures.delete(userId);
  }
}
