import type { Target } from '../harness';
import { batchTarget } from './batch';
import { bundleTarget } from './bundle';
import { csvTarget } from './csv';
import { receiptTarget } from './receipt';
import { changesTarget, uploadAnswerTarget } from './sync';
import { gbv1Target, gbv2Target } from './vouchers';

/** Every parser the fuzz benchmark feeds, by a short name (the worker receives the name). */
export const TARGETS: Record<string, () => Target | Promise<Target>> = {
  gbv1: gbv1Target,
  gbv2: gbv2Target,
  bundle: bundleTarget,
  csv: csvTarget,
  upload: uploadAnswerTarget,
  changes: changesTarget,
  batch: batchTarget,
  receipt: receiptTarget,
};
export type TargetName = keyof typeof TARGETS;
