/** The key store: import, view, lock. */
import { z } from 'zod';
import { text, passphrase, adminToken } from './common';

export interface KeyView {
  kid: string;
  role: 'merchant-encryption' | 'merchant-signing' | 'issuer';
  iss: string | null;
  kty: string;
  crv: string | null;
  bits: number | null;
  /** RFC 7638 thumbprint, first 16 characters. */
  fingerprint: string;
  source: string;
  addedAt: number;
}

export interface KeystoreView {
  state: 'empty' | 'locked' | 'unlocked';
  protector: 'passphrase' | 'os';
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  issuers: { iss: string; name: string }[];
  keys: KeyView[];
}

export interface ImportResult {
  merchant: { id: string; name: string } | null;
  added: KeyView[];
  /** Warnings the admin should read: 'clearBundle' when the bundle was not encrypted. */
  warnings: string[];
}

export const keysCalls = {
  'keystore.view': { input: z.object({}).strict() },
  'keystore.unlock': { input: z.object({ passphrase }).strict() },
  'keystore.lock': { input: z.object({}).strict() },
  'keystore.import': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        fileName: z.string().max(500),
        content: text,
        bundlePassphrase: z.string().max(1024).optional(),
        role: z.enum(['merchant-encryption', 'merchant-signing', 'issuer']).optional(),
        kid: z.string().min(1).max(64).optional(),
        iss: z.string().min(1).max(64).optional(),
        replaceMerchant: z.boolean().optional(),
      })
      .strict(),
  },
  'keystore.remove': { input: z.object({ adminToken: adminToken.optional(), kid: z.string().min(1).max(64) }).strict() },
} as const;

export interface KeysResults {
  'keystore.view': KeystoreView;
  'keystore.unlock': KeystoreView;
  'keystore.lock': KeystoreView;
  'keystore.import': ImportResult;
  'keystore.remove': KeystoreView;
}
