/**
 * The parsers the fuzz benchmark feeds: one import line each, so a parser that
 * moves is followed by changing its line here and nothing else.
 *
 * The sync wire is being moved into common/protocol/ (helper "ledger"): after
 * the move, point `parseResults` and `applyChanges`'s page check at the new
 * module (targets/sync.ts uses them only through the names below).
 */
export { openVoucher } from '../../main/core/vouchers/codec'; // GBV1 and GBV2 voucher text (dispatches `GBV2:`)
export { readKeyFile } from '../../main/core/keystore/files'; // the merchant bundle (and PEM / JWK files) an admin imports
export { CrmIo } from '../../main/core/crm/io'; // the CRM CSV import: CrmIo.preview
export { parseResults } from '../../main/core/sync/client'; // sync wire: the upload answer
export { SyncClient } from '../../main/core/sync/client'; // sync wire: a page of changes (SyncClient.applyChanges)
export { readBatch } from '../../server/batch'; // the batch file, as the platform reads it
export { loadReceipt } from '../../main/core/sync/batch'; // the batch receipt, as the workstation reads it
