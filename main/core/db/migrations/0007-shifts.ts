import type { Db } from '../open';

/**
 * Version 7: shifts at the counter, and the refused scans a shift summary counts.
 * One open shift per workstation (the partial unique index). A closed shift keeps
 * its summary as it was at the close (JSON), so a later sync changes no printed slip.
 */
export const name = 'shifts';

export function up(db: Db): void {
  db.exec(`
    CREATE TABLE shifts (
      id               TEXT PRIMARY KEY,
      device           TEXT NOT NULL,
      branch           TEXT,
      opened_at        INTEGER NOT NULL,
      opened_by        TEXT NOT NULL,
      opening_vouchers INTEGER,
      opening_cash     INTEGER,
      closed_at        INTEGER,
      closed_by        TEXT,
      closing_vouchers INTEGER,
      closing_cash     INTEGER,
      summary          TEXT
    );
    CREATE UNIQUE INDEX shifts_one_open ON shifts(device) WHERE closed_at IS NULL;
    CREATE INDEX shifts_opened ON shifts(opened_at);
    CREATE TABLE refusals (
      seq     INTEGER PRIMARY KEY,
      at      INTEGER NOT NULL,
      device  TEXT NOT NULL,
      cashier TEXT,
      verdict TEXT NOT NULL
    );
    CREATE INDEX refusals_at ON refusals(at);
  `);
}
