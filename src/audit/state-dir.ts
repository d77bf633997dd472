// Where the state directory is: users.json, the audit log and temporary exports live there, beside
// the store but not in it (a load replaces the store file).
import path from 'node:path';

/** The store file used when --db is not given. */
export const DEFAULT_DB = 'juki.duckdb';

/**
 * The state directory: `state` when given, else `juki-state` beside the store file.
 * @example stateDirOf({ db: '/srv/juki/juki.duckdb' }) // '/srv/juki/juki-state'
 * @example stateDirOf({ state: '/var/lib/juki' }) // '/var/lib/juki'
 */
export function stateDirOf(opts: { state?: string; db?: string }): string {
  if (opts.state) return opts.state;
  return path.join(path.dirname(opts.db ?? DEFAULT_DB), 'juki-state');
}

/**
 * The files of a state directory.
 * @example statePaths('/srv/juki/juki-state').users // '/srv/juki/juki-state/users.json'
 */
export function statePaths(dir: string): { users: string; audit: string; head: string; exports: string } {
  return {
    users: path.join(dir, 'users.json'),
    audit: path.join(dir, 'audit.jsonl'),
    head: path.join(dir, 'audit.head'),
    exports: path.join(dir, 'exports'),
  };
}
