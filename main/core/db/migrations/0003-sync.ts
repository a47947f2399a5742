import type { Db } from '../open';

/**
 * Version 3: the sync tables (docs/spec/sync-protocol.md). The outbox holds each
 * local event's wire body, written in the same transaction as the event;
 * `status` NULL means "waiting to be uploaded". Nothing here is ever deleted:
 * conflicts are settled with a note, rejected events stay visible.
 */
export const name = 'sync: outbox, conflicts, closed days';

export function up(db: Db): void {
  db.exec(`
    CREATE TABLE sync_outbox (
      seq         INTEGER PRIMARY KEY,
      id          TEXT NOT NULL UNIQUE,
      body        TEXT NOT NULL,
      status      TEXT CHECK (status IS NULL OR status IN ('stored', 'duplicate', 'conflict', 'rejected')),
      reason      TEXT,
      first       TEXT,
      sent_at     INTEGER,
      via         TEXT,
      exported_at INTEGER,
      export_file TEXT
    );
    CREATE INDEX sync_outbox_waiting ON sync_outbox(seq) WHERE status IS NULL;
    CREATE INDEX sync_outbox_rejected ON sync_outbox(seq) WHERE status = 'rejected';

    CREATE TABLE sync_conflicts (
      event_id    TEXT PRIMARY KEY,
      iss         TEXT,
      jti         TEXT,
      event       TEXT,
      first       TEXT NOT NULL,
      origin      TEXT NOT NULL,
      detected_at INTEGER NOT NULL,
      settled_at  INTEGER,
      settled_by  TEXT,
      note        TEXT
    ) WITHOUT ROWID;

    CREATE TABLE sync_days (
      day         TEXT PRIMARY KEY,
      closed_at   INTEGER NOT NULL,
      local       TEXT NOT NULL,
      server      TEXT,
      differences TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}
