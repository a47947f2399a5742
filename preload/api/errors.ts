/**
 * Every error code a call can answer with (CallError.code), once. A code is
 * also the i18n key the screens translate (`errors.<code>`); `UserError` takes
 * only these, so a typo fails the type check.
 */
export const ERROR_CODES = [
  // The contract and the processes that carry it.
  'api.badInput',
  'api.unknownCall',
  'api.forbidden',
  'core.stopped',
  'core.internal',
  'core.unavailable',
  'core.startFailed',
  'host.unreachable',
  'db.fromTheFuture',
  'file.cannotRead',
  'usage',
  // Admin passphrase and key store.
  'admin.required',
  'admin.mismatch',
  'admin.wrongPassphrase',
  'admin.lockedOut',
  'admin.notConfigured',
  'admin.alreadyConfigured',
  'admin.passphraseTooShort',
  // Staff and their roles.
  'staff.roleRequired',
  'staff.signInRequired',
  'staff.wrongPin',
  'staff.lockedOut',
  'staff.notABadge',
  'staff.badgeWithdrawn',
  'staff.unknownStaff',
  'staff.inactive',
  'staff.nameTaken',
  'staff.lastOwner',
  'keystore.locked',
  'keystore.unreadable',
  // Key files.
  'keys.wrongPassphrase',
  'keys.corruptFile',
  'keys.truncatedFile',
  'keys.otherMerchant',
  'keys.unsupportedKey',
  'keys.notAKeyFile',
  'keys.needBundlePassphrase',
  'keys.duplicateKid',
  'keys.needRole',
  'keys.needIssuer',
  'keys.noMerchant',
  'keys.needKid',
  'keys.needPrivateKey',
  'keys.unknownKid',
  // Redemption and the ledger.
  'redeem.amountRequired',
  'redeem.tooManyUnits',
  'redeem.campaignStockShort',
  'ledger.unknownEvent',
  'ledger.alreadyReversed',
  'ledger.notARedemption',
  'ledger.reasonRequired',
  // Shifts.
  'shift.alreadyOpen',
  'shift.noneOpen',
  'shift.unknown',
  // Catalog: product and campaign tables.
  'import.empty',
  'import.badJson',
  'import.badCsv',
  'import.badRows',
  'import.badTime',
  'campaigns.badInput',
  'campaigns.badRange',
  'campaigns.unknown',
  // Member CRM.
  'crm.unknownMember',
  'crm.nameRequired',
  'crm.badPhone',
  'crm.badEmail',
  'crm.badBirthday',
  'crm.holderTaken',
  'crm.mergeSelf',
  'crm.linkSelf',
  'crm.unknownLink',
  'crm.alreadyAttached',
  'crm.noMerchant',
  'crm.noSigningKey',
  'crm.notAMemberCard',
  'crm.referralsOff',
  'crm.notEligible',
  'crm.noWelcomeLeft',
  'crm.selfReferral',
  'crm.alreadyWelcomed',
  'crm.alreadyCustomer',
  'crm.emptyCircle',
  'crm.ruleNeedsTrigger',
  'crm.unknownVoucher',
  'crm.backup.unreadable',
  // Member CRM import: the file (a failed call) and its rows (ImportIssue.code).
  'crm.import.unreadable',
  'crm.import.empty',
  'crm.import.noSuchColumn',
  'crm.import.needName',
  'crm.import.needFromTo',
  'crm.import.expired',
  'crm.import.encoding',
  'crm.import.nameRequired',
  'crm.import.badPhone',
  'crm.import.badEmail',
  'crm.import.badBirthday',
  'crm.import.duplicateInFile',
  'crm.import.badKind',
  'crm.import.unknownMember',
  'crm.import.missingContact',
  'crm.import.selfLink',
  // Sync: a failed sync (sync.err.<SyncFailure>), batch files and conflicts.
  'sync.err.notConfigured',
  'sync.err.locked',
  'sync.err.unreachable',
  'sync.err.tokenRefused',
  'sync.err.wrongMerchant',
  'sync.err.busy',
  'sync.err.badResponse',
  'sync.err.serverError',
  'sync.err.tooLarge',
  'sync.err.internal',
  'sync.badReceipt',
  'sync.unknownConflict',
  'sync.alreadySettled',
  // The receipt printer: a print that failed (the redemption stays recorded).
  'printer.notConfigured',
  'printer.unreachable',
  'printer.timeout',
  'printer.portFailed',
  'printer.lpMissing',
  'printer.osFailed',
  'printer.nothingToReprint',
  // Whole-workstation backup and restore.
  'backup.unreadable',
  'backup.altered',
  'backup.wrongPassphrase',
  'backup.tooNew',
  'backup.notFound',
  'backup.cannotWrite',
  'backup.needPassphrase',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes no screen shows, so they have no translated text: the CLI's own usage
 * errors, and the core failing to start (the crash dialog shows its English message).
 */
export const UNTRANSLATED_ERROR_CODES = ['usage', 'db.fromTheFuture', 'core.startFailed'] as const satisfies readonly ErrorCode[];

type After<Prefix extends string, Code> = Code extends `${Prefix}${infer Rest}` ? Rest : never;

/** Why a sync failed (SyncProblem.code): the screens translate it as `errors.sync.err.<failure>`. */
export type SyncFailure = After<'sync.err.', ErrorCode>;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
