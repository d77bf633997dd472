// Named limits and settings, in one place (style.md §7). Each can be overridden by an environment variable.
function num(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const settings = {
  /** DuckDB memory limit; loads spill to disk beyond it. */
  duckdbMemoryLimit: process.env.JUKI_DUCKDB_MEMORY ?? '1GB',
  /** DuckDB memory limit of a process that only reads the store (reports, extracts from the CLI, benches):
   * the buffer pool fills up to its limit, so a lower one keeps such a process under 1 GB. */
  duckdbQueryMemoryLimit: process.env.JUKI_DUCKDB_QUERY_MEMORY ?? '512MB',
  /** DuckDB worker threads. */
  duckdbThreads: num('JUKI_DUCKDB_THREADS', 2),
  /** How many validation problems a load collects before it stops looking. */
  maxProblems: num('JUKI_MAX_PROBLEMS', 200),
  /** How many problems of one kind (same column and message) are listed. */
  maxProblemsPerCheck: num('JUKI_MAX_PROBLEMS_PER_CHECK', 20),
  /** How many data-quality findings of one kind are kept in a load report. */
  maxFindingsPerKind: num('JUKI_MAX_FINDINGS_PER_KIND', 100),
  /** How many persons a failed 整合性チェック of a report names (the rest are counted). */
  maxCheckPersons: num('JUKI_MAX_CHECK_PERSONS', 20),
  /** Web: a query running longer than this is interrupted (connection.interrupt()) and the user told. */
  queryTimeoutMs: num('JUKI_QUERY_TIMEOUT_MS', 30_000),
  /** Web: rows shown by an extract's preview (the total count is always shown). */
  previewRows: num('JUKI_PREVIEW_ROWS', 100),
  /** Excel's sheet limit (1,048,576 rows minus the header): larger results are CSV only. Not a setting. */
  xlsxMaxRows: 1_048_575,
  /** Web: a session unused for this long ends. */
  sessionIdleMinutes: num('JUKI_SESSION_IDLE_MINUTES', 30),
  /** Web: consecutive failed logins that lock an account. */
  loginMaxFailures: num('JUKI_LOGIN_MAX_FAILURES', 5),
  /** Web: how long a locked account stays locked. */
  loginLockMinutes: num('JUKI_LOGIN_LOCK_MINUTES', 15),
  /** Web: an unfetched download is deleted after this long. */
  downloadTtlMinutes: num('JUKI_DOWNLOAD_TTL_MINUTES', 30),
} as const;
