// Types of the EUC standard extracts (euc.md §1): parameter and extract definitions, chart
// definitions, and the cell / column / chunk shapes shared with the download writers.
// ExportColumn, CellValue and RowChunks are the writers' own types (src/export/types.ts),
// re-exported so EUC code imports them from one place.
export type { CellValue, ExportColumn, RowChunks } from '../export/types.ts';
import type { ExportColumn } from '../export/types.ts';

/** How an extract's result is charted; field names are result column names (src/euc/chart.ts draws it). */
export type ChartDef =
  | { kind: 'pyramid'; age: string; sex: string; value: string }
  | { kind: 'line'; x: string; y: string; series?: string }
  | { kind: 'bar'; x: string; y: string; series?: string };

interface ParamBase {
  /** The SQL parameter (`$name`), lower-case ASCII. */
  name: string;
  /** Japanese label shown in forms, conditions sheets and error messages. */
  label: string;
  /** Optional help text for the form. */
  description?: string;
}

/**
 * A date parameter ('YYYY-MM-DD'). `default`, `min` and `max` are dates or default keywords
 * (src/euc/params.ts, DATE_KEYWORDS); `notBefore` names another date parameter it may not precede.
 */
export interface DateParam extends ParamBase {
  type: 'date';
  default?: string;
  min?: string;
  max?: string;
  notBefore?: string;
}

/** An integer parameter within [min, max]. */
export interface IntParam extends ParamBase {
  type: 'int';
  default?: number;
  min: number;
  max: number;
}

/** A text parameter; `optional` = may be empty (the SQL reads '' as "no condition"). */
export interface TextParam extends ParamBase {
  type: 'text';
  default?: string;
  optional?: boolean;
  /** A regular expression a non-empty value must match (whole value). */
  pattern?: string;
  /** Japanese description of `pattern`, used in the error message. */
  patternLabel?: string;
  maxLength?: number;
}

/** One of fixed choices. */
export interface ChoiceParam extends ParamBase {
  type: 'choice';
  choices: string[];
  default?: string;
}

/** A yes/no flag. */
export interface FlagParam extends ParamBase {
  type: 'flag';
  default?: boolean;
}

export type ParamDef = DateParam | IntParam | TextParam | ChoiceParam | FlagParam;

/** A standard extract: queries/euc/<id>_<name>.sql with <id>_<name>.meta.json beside it. */
export interface ExtractDef {
  /** Two digits, the file's prefix ('01' … '11'). */
  id: string;
  title: string;
  description: string;
  /** 'persons' = a person list (個人一覧 permission, purpose required, 支援措置 excluded unless allowed). */
  kind: 'aggregate' | 'persons';
  params: ParamDef[];
  /** Every column of the result in order, hidden ones included. */
  columns: ExportColumn[];
  chart?: ChartDef;
  /** Path under queries/, e.g. 'euc/01_chocho_jinko.sql'. */
  sqlFile: string;
  /** Columns used for formatting only (住民種別 for 'seireki-if-foreign' dates): never shown or exported. */
  hidden?: string[];
  /** How the result forms a count table for its 公表用 variant (src/euc/publish.ts). */
  publish?: { rowItems: string[]; colItem?: string; value?: string; valueColumns?: string[] };
}

/** A parameter value as bound to DuckDB: dates as 'YYYY-MM-DD' strings (cast in SQL), ints, texts, flags. */
export type ParamValue = string | number | boolean;
