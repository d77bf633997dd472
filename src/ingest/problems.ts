// Problems found in a package: what, where (file, line, column, value) and what was expected, in Japanese.

export interface Problem {
  file: string;
  line?: number;
  column?: string;
  /** The offending value; never a name or address (see maskValue). */
  value?: string;
  message: string;
  /** How many more rows have the same problem beyond those listed. */
  more?: number;
}

/** Columns whose values are personal text: a problem shows their length, never the text. */
const PERSONAL_TEXT = new Set(['氏名', '氏名カナ', '氏名英字', '通称', '住所', '方書', '転入前住所', '転出先住所', '在留カード等番号']);

export function maskValue(column: string | undefined, value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (column !== undefined && PERSONAL_TEXT.has(column)) return `（${[...value].length}文字・表示しません）`;
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/** A load refused: nothing in the store was changed. */
export class LoadRejected extends Error {
  constructor(readonly problems: Problem[], readonly truncated = false) {
    super(formatProblems(problems, truncated));
    this.name = 'LoadRejected';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line !== undefined ? `${p.line}行目` : undefined, p.column !== undefined ? `列「${p.column}」` : undefined]
    .filter(Boolean)
    .join(' ');
  const value = p.value !== undefined ? ` 値「${p.value}」:` : '';
  const more = p.more ? `（ほか${p.more}件）` : '';
  return `${where}:${value} ${p.message}${more}`;
}

export function formatProblems(problems: Problem[], truncated = false): string {
  const head = `パッケージを取り込めませんでした（問題 ${problems.length}${truncated ? '件以上' : '件'}）。ストアは変更していません。`;
  return [head, ...problems.map((p) => `  - ${formatProblem(p)}`)].join('\n');
}
