/**
 * Migration 0004 (issue 14): the database keeps the promises itself.
 *
 * - Every unique key of `events` includes `mid` (the distribution column on
 *   Citus: server/README.md): the event id is unique per merchant, and the
 *   primary key is (mid, seq). An upload inserts with
 *   `ON CONFLICT (mid, id) DO NOTHING`.
 * - The voucher counters never exceed what the voucher holds, nor go below 0:
 *   a CHECK constraint in PostgreSQL, a trigger in SQLite (which cannot add a
 *   CHECK to an existing table).
 *
 * Existing rows stay as they are: the keys are only widened, and the bounds
 * hold for every row the server ever wrote (it checked them before writing).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db';

/** What a stored voucher's counters may be (SQL, both dialects). */
const within = (row = '') =>
  `${row}used_units >= 0 and ${row}used_amount >= 0 and ${row}used_events >= 0` +
  ` and (${row}use_cap is null or ${row}used_events <= ${row}use_cap)` +
  ` and (case when ${row}kind = 'value' then ${row}used_amount <= coalesce(${row}val, 0) else ${row}used_units <= coalesce(${row}qty, 1) end)`;

export function merchantKeys(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        await sql`alter table events drop constraint events_id_key`.execute(db);
        await sql`alter table events drop constraint events_pkey`.execute(db);
        await sql`alter table events add constraint events_pkey primary key (mid, seq)`.execute(db);
        await sql`alter table events add constraint events_mid_id unique (mid, id)`.execute(db);
        await sql`alter table vouchers add constraint vouchers_used_within check (${sql.raw(within())})`.execute(db);
      } else {
        // SQLite keeps its single-column keys (one file, one writer: nothing
        // to distribute) and gains the (mid, id) key the upload's ON CONFLICT names.
        await sql`create unique index events_mid_id on events (mid, id)`.execute(db);
        for (const when of ['insert', 'update']) {
          await sql
            .raw(
              `create trigger vouchers_used_within_${when} before ${when} on vouchers
               when not (${within('NEW.')})
               begin select raise(abort, 'voucher counters out of bounds (CHECK vouchers_used_within)'); end`,
            )
            .execute(db);
        }
      }
    },
  };
}
