/** Products, revocations, campaigns, and points for shared vouchers. */
import { z } from 'zod';
import { text, adminToken } from './common';

/** strict: offline only within the allotment held here; lenient: beyond it too, the server reports the oversell (issue 15). */
export const CAMPAIGN_MODES = ['strict', 'lenient'] as const;
export const campaignMode = z.enum(CAMPAIGN_MODES);
export type CampaignMode = z.infer<typeof campaignMode>;
/** What the owner may set: a mode, or `platform` to drop their choice and follow the platform's default again. */
export const campaignModeChoice = z.enum([...CAMPAIGN_MODES, 'platform']);

export interface ProductView {
  sku: string;
  name: string;
  price: number | null;
  cur: string | null;
  picture: string | null;
}

export interface RevocationView {
  iss: string;
  jti: string;
  reason: string;
  at: number;
  source: string;
}

export interface CampaignView {
  id: string;
  name: string;
  /** The campaign's stock, for all the merchant's branches together; null for no limit. */
  stock: number | null;
  /** Units redeemed on this workstation so far (reversals give them back). */
  used: number;
  /** strict: offline only within the allotment held here; lenient: beyond it too, oversells reported (issue 15). */
  mode: CampaignMode;
  /** Who chose `mode`: the owner on this workstation (which wins), or the platform (its default; lenient for a campaign made here). */
  modeBy: 'owner' | 'platform';
  /** The platform's default mode, followed when the owner has not chosen. */
  platformMode: CampaignMode;
  /**
   * Units left for everyone as this workstation knows it: the stock less what the
   * server counted redeemed at the last sync, less what was redeemed here since;
   * without a count from a server, the stock less `used`. null without a stock.
   */
  left: number | null;
  /** When the server last counted (ms since the epoch), or null: never (`left` then counts this workstation only). */
  countedAt: number | null;
  /** Units this workstation holds in allotment and may redeem offline without asking. */
  held: number;
  /** Units of this workstation's redemptions the server reported oversold. */
  oversold: number;
  /** Whether the server speaks protocol 2; false: every campaign behaves as lenient. */
  allotments: boolean;
  /** ms since the epoch, or null. */
  from: number | null;
  to: number | null;
  /** Opening hours in local time, e.g. "10:00-14:00,17:00-22:00", or null for any time. */
  hours: string | null;
  source: string;
}

export interface LevelRule {
  level: number;
  /** Points needed to reach this level. */
  points: number;
  /** What the level gives, shown to the cashier (e.g. "10% off"). */
  perk: string;
}

export interface PointsRules {
  /** Points the redeemer (`sub`) earns per redemption of a shared voucher. */
  redeemer: number;
  /** Points each earlier holder earns (mode x: the first holder only; mode s: every holder). */
  holder: number;
  levels: LevelRule[];
}

export interface PointsCredit {
  holder: string;
  role: 'redeemer' | 'holder';
  points: number;
  /** The holder's total and level after this credit. */
  total: number;
  level: number;
  levelChanged: boolean;
}

export interface HolderPoints {
  holder: string;
  points: number;
  level: number;
  perk: string;
  /** Points needed for the next level, or null at the top. */
  toNext: number | null;
  entries: { id: string; eventId: string; role: 'redeemer' | 'holder'; delta: number; at: number }[];
}

export const catalogCalls = {
  'products.list': { input: z.object({ query: z.string().max(100).default(''), limit: z.number().int().min(1).max(1000).default(100) }).strict() },
  'products.import': { input: z.object({ adminToken: adminToken.optional(), fileName: z.string().max(500), content: text }).strict() },
  'revocations.list': { input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict() },
  'revocations.import': { input: z.object({ adminToken: adminToken.optional(), fileName: z.string().max(500), content: text }).strict() },
  'campaigns.list': { input: z.object({}).strict() },
  'campaigns.set': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        id: z.string().min(1).max(64),
        name: z.string().min(1).max(200),
        stock: z.number().int().min(0).nullable().default(null),
        from: z.number().int().min(0).nullable().default(null),
        to: z.number().int().min(0).nullable().default(null),
        hours: z.string().max(100).nullable().default(null),
        /** Absent: keep the campaign's mode (a new campaign is lenient unless the platform said otherwise); `platform`: follow the platform's default again. */
        mode: campaignModeChoice.optional(),
      })
      .strict(),
  },
  'campaigns.delete': { input: z.object({ adminToken: adminToken.optional(), id: z.string().min(1).max(64) }).strict() },
  'campaigns.import': { input: z.object({ adminToken: adminToken.optional(), fileName: z.string().max(500), content: text }).strict() },
  'points.rules': { input: z.object({}).strict() },
  'points.setRules': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        redeemer: z.number().int().min(0).max(1_000_000),
        holder: z.number().int().min(0).max(1_000_000),
        levels: z
          .array(z.object({ level: z.number().int().min(0).max(99), points: z.number().int().min(0), perk: z.string().max(100) }))
          .min(1)
          .max(100),
      })
      .strict(),
  },
  'points.show': { input: z.object({ holder: z.string().min(1).max(64) }).strict() },
} as const;

export interface CatalogResults {
  'products.list': ProductView[];
  'products.import': { imported: number };
  'revocations.list': RevocationView[];
  'revocations.import': { imported: number };
  'campaigns.list': CampaignView[];
  'campaigns.set': CampaignView;
  'campaigns.delete': CampaignView[];
  'campaigns.import': { imported: number };
  'points.rules': PointsRules;
  'points.setRules': PointsRules;
  'points.show': HolderPoints;
}
