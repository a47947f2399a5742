/**
 * The issue time of the vouchers the tests mint on the reference server: before
 * the fixed event dates the tests upload (2026-11-20 to 22), since the server
 * refuses a redemption dated before its voucher was issued
 * (server/event-time.ts). Their expiry still counts from the real clock.
 */
export const TEST_ISSUE_TIME = Date.parse('2026-11-01T00:00:00Z') / 1000;

/** Mint options: issued at TEST_ISSUE_TIME, expiring 30 days from the real clock. */
export function issuedBeforeTestDates(): { now: number; exp: number } {
  return { now: TEST_ISSUE_TIME, exp: Math.floor(Date.now() / 1000) + 30 * 86_400 };
}
