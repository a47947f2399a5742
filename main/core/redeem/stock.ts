/**
 * How a redemption takes a campaign's stock (issue 15, docs/spec/sync-protocol.md
 * "Strict and lenient"): units come from the allotment this workstation holds
 * first (the event's `allot`); beyond it, online-first asks the server, and
 * offline a strict campaign refuses ("sold out at this branch for now") while a
 * lenient one redeems and the server reports the oversell. Either way nothing
 * is redeemed when this workstation's own count says nothing is left. A server
 * that has not said `Sync-Protocol: 2` (`allotments` false): no allot, lenient.
 */
import type { CampaignView } from '../../../preload/contract';
import type { VoucherTerms } from '../vouchers/claims';

/** A campaign's stock counts units; a stored-value purchase counts as one. */
export function stockUnits(terms: VoucherTerms, take: number): number {
  return terms.kind === 'value' ? 1 : take;
}

function stocked(c: CampaignView | null): c is CampaignView & { stock: number } {
  return c !== null && c.stock !== null;
}

/** The units of a redemption that come from the allotment held here. */
export function allotFor(c: CampaignView | null, units: number): number {
  return stocked(c) && c.allotments ? Math.min(units, c.held) : 0;
}

/** Strict and spoken for: offline, only the allotment may be spent. */
export function strictHere(c: CampaignView | null): boolean {
  return stocked(c) && c.allotments && c.mode === 'strict';
}

/** The most stock units one redemption may take now (null: no limit): what is left, and offline in strict mode what is held. */
export function stockBound(c: CampaignView | null, online: boolean): number | null {
  if (!stocked(c)) return null;
  const left = c.left ?? c.stock;
  return strictHere(c) && !online ? Math.min(left, c.held) : left;
}

/**
 * Why a redemption of `units` (with `allot` of them from the allotment) cannot
 * be recorded, or null: `short` when some but not all fit (the cashier may take
 * fewer), `soldOutHere` when a strict campaign offline has none held here.
 */
export function stockShortfall(c: CampaignView | null, units: number, allot: number, online: boolean): { short: number } | { soldOutHere: true } | null {
  if (!stocked(c)) return null;
  const left = c.left ?? c.stock;
  if (left < units) return { short: left };
  if (strictHere(c) && !online && allot < units) return allot > 0 || c.held > 0 ? { short: Math.max(allot, c.held) } : { soldOutHere: true };
  return null;
}
