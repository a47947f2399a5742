/** Reports: the history with filters, summaries of a window, exports (a manager's, recorded in the audit log), the time zone. */
import type { reportsCalls } from '../../../preload/api/reports';
import { EXPORT_MAX_ROWS } from '../../../preload/contract';
import { csvBytes, historyRows, summaryRows, xlsxBytes } from '../reports/export';
import { historyAll, historyChoices, historyPage } from '../reports/history';
import { summarize } from '../reports/summary';
import { dayOf, merchantTimeZone, systemTimeZone } from '../reports/timezone';
import type { Deps, HandlerMap } from './types';

const MIME = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export function reportsHandlers({ db, settings, admin, audit, log }: Deps): HandlerMap<keyof typeof reportsCalls> {
  const zone = () => ({ timeZone: merchantTimeZone(settings), system: systemTimeZone() });
  return {
    'reports.history': ({ limit, after, ...filter }) => historyPage(db, filter, limit, after),
    'reports.summary': (w) => summarize(db, w, merchantTimeZone(settings)),
    'reports.choices': () => historyChoices(db),
    'reports.export': async ({ adminToken, format, bom, language, report }) => {
      const actor = admin.require(adminToken, 'manager');
      const timeZone = merchantTimeZone(settings);
      let rows;
      let truncated = false;
      let name: string;
      if ('history' in report) {
        // One more than fits says whether the history was cut.
        const lines = [...historyAll(db, report.history, EXPORT_MAX_ROWS + 1)];
        truncated = lines.length > EXPORT_MAX_ROWS;
        rows = historyRows(lines.slice(0, EXPORT_MAX_ROWS), timeZone, language);
        name = `voucherdesk-history-${dayOf(Date.now(), timeZone)}`;
      } else {
        const s = summarize(db, report.summary, timeZone);
        rows = summaryRows(s, language);
        name = `voucherdesk-report-${dayOf(s.from, timeZone)}`;
      }
      const bytes = format === 'csv' ? csvBytes(rows, bom) : await xlsxBytes(rows, 'history' in report ? 'Events' : 'Summary', 'history' in report ? 1 : 2);
      const what = 'history' in report ? 'history' : 'summary';
      const lines = rows.length - ('history' in report ? 1 : 2);
      audit.record('export', actor, { what, format, rows: lines, truncated });
      log.info('report exported', { what, format, rows: lines });
      return { fileName: `${name}.${format}`, mime: MIME[format], contentBase64: bytes.toString('base64'), rows: lines, truncated };
    },
    'reports.timeZone': () => zone(),
    'reports.setTimeZone': ({ adminToken, timeZone }) => {
      const actor = admin.require(adminToken, 'owner');
      settings.set('timeZone', timeZone);
      audit.record('settings', actor, { setting: 'timeZone', value: timeZone });
      return zone();
    },
  };
}
