import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { UserError } from '../errors';

/**
 * Reads an admin's import file (CSV with a header row, or JSON: an array of
 * objects or an object holding one) into checked rows. All or nothing: one bad
 * row refuses the file, with the problems listed by row number.
 */
export interface RowProblem {
  row: number;
  message: string;
}

export function readTableFile<T>(fileName: string, content: string, schema: z.ZodType<T>, listKey?: string): T[] {
  const text = content.replace(/^\uFEFF/, '').trim();
  if (!text) throw new UserError('import.empty', 'The file is empty; nothing was imported.');
  let records: unknown[];
  if (text.startsWith('[') || text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserError('import.badJson', `${fileName} is not valid JSON; nothing was imported.`);
    }
    const list = Array.isArray(json) ? json : listKey && json && typeof json === 'object' ? (json as Record<string, unknown>)[listKey] : undefined;
    if (!Array.isArray(list)) throw new UserError('import.badJson', `${fileName} should hold a list${listKey ? ` (or "${listKey}": [...])` : ''}; nothing was imported.`);
    records = list;
  } else {
    try {
      records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown[];
    } catch (e) {
      const line = (e as { lines?: number }).lines;
      throw new UserError('import.badCsv', `${fileName} is not valid CSV${line ? ` (line ${line})` : ''}; nothing was imported.`, line ? { line } : {});
    }
  }
  const rows: T[] = [];
  const problems: RowProblem[] = [];
  records.forEach((r, i) => {
    const checked = schema.safeParse(r);
    if (checked.success) rows.push(checked.data);
    else problems.push({ row: i + 1, message: checked.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') });
  });
  if (problems.length) {
    const shown = problems.slice(0, 5).map((p) => `row ${p.row}: ${p.message}`).join('\n');
    throw new UserError('import.badRows', `${problems.length} row(s) are wrong; nothing was imported.\n${shown}`, {
      count: problems.length,
      rows: problems.slice(0, 20).map((p) => p.row).join(', '),
    });
  }
  if (rows.length === 0) throw new UserError('import.empty', 'The file has no rows; nothing was imported.');
  return rows;
}
