/**
 * How the server's tables spread over a distributed PostgreSQL (Citus; issue
 * 14, server/README.md "On a distributed PostgreSQL"): the tables written per
 * merchant are distributed by `mid` and colocated (every unique key of
 * theirs includes `mid`, which Citus requires), the small ones written by the
 * platform's admin are reference tables (a copy on every node). Every table
 * of the schema is in exactly one list: test/server/distribution.test.ts
 * checks it, and the keys, against the catalog of a migrated database.
 */

/** Distributed by merchant (`mid`), colocated with `events`. */
export const BY_MERCHANT = ['events', 'vouchers', 'imports', 'branches', 'devices', 'changes', 'feeds', 'campaign_counts', 'allotments', 'oversells'] as const;

/** Reference tables: small, written by admin commands, read everywhere. */
export const REFERENCE = ['settings', 'issuer_keys', 'merchants', 'revocations', 'campaigns', 'platform_changes', 'device_merchants'] as const;

/** The statements that distribute a migrated database on Citus (run once, on the coordinator). */
export function citusStatements(): string[] {
  return [
    ...REFERENCE.map((t) => `SELECT create_reference_table('${t}');`),
    ...BY_MERCHANT.map((t) => (t === 'events' ? `SELECT create_distributed_table('events', 'mid');` : `SELECT create_distributed_table('${t}', 'mid', colocate_with => 'events');`)),
  ];
}
