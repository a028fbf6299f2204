/**
 * CSV for spreadsheet users (RFC 4180 quoting, CRLF). Files start with a UTF-8 byte-order mark: Excel
 * opens a CSV without one in the system code page and garbles Chinese text.
 */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const UTF8_BOM = '\uFEFF';

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading = + - @ would make a spreadsheet run the cell as a formula (CSV injection).
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Whether the request asks for CSV: `format=csv`, or an Accept header preferring text/csv over JSON. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.findIndex((t) => t === 'application/json' || t === 'application/*' || t === '*/*');
  return csv !== -1 && (json === -1 || csv < json);
}
