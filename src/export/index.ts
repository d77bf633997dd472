// The download writers used by the web server for EUC extracts: CSV (UTF-8 BOM / CP932) and XLSX.
export { neutralise, displayWidth, dateAtUtcMidnight, codePointLabel } from './cells.ts';
export { Cp932Encoder, CP932_LOOKALIKES, GETA } from './cp932.ts';
export { writeCsv, type CsvOptions, type CsvResult } from './csv.ts';
export { writeXlsx, sanitiseSheetName, WAREKI_FORMAT, SEIREKI_FORMAT, INT_FORMAT, RATE_FORMAT, type XlsxOptions, type XlsxResult } from './xlsx.ts';
export {
  ExportTooLarge,
  UNMAPPABLE_LIST_LIMIT,
  XLSX_MAX_DATA_ROWS,
  type CellValue,
  type ExportColumn,
  type ExportMeta,
  type RowChunks,
  type Unmappable,
} from './types.ts';
