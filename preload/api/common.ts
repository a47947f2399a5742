/** Input pieces shared by the features' call schemas. */
import { z } from 'zod';

/** The longest text a call takes (a file's content, a scan). */
export const TEXT_MAX = 100_000;
export const text = z.string().max(TEXT_MAX);
export const passphrase = z.string().min(1).max(1024);
export const adminToken = z.string().min(1).max(200);
export const unixSeconds = z.number().int().min(0).max(32503680000);
