// Named limits and settings, in one place (style.md §7). Each can be overridden by an environment variable.
function num(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const settings = {
  /** DuckDB memory limit; loads spill to disk beyond it. */
  duckdbMemoryLimit: process.env.JUKI_DUCKDB_MEMORY ?? '1GB',
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
} as const;
