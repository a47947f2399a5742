/**
 * The errors the core sends, by code (`errorText` picks them); the CRM's and sync's own codes are kept beside their screens: the i18next namespace 'errors', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 * Plain words for the counter: say what happened and what to do next.
 */
import { backupErrors } from '../backup/strings';
import { crmErrors } from '../crm/strings';
import { shiftErrors } from '../shifts/strings';
import { syncErrors } from '../sync/strings';
import { printerErrors } from '../settings/printer-strings';

const en = {
  keys: {
    wrongPassphrase: 'Wrong passphrase. Nothing was changed.',
    corruptFile: 'The file is damaged and cannot be read. Nothing was changed.',
    truncatedFile: 'The file is incomplete (cut off). Ask for a new copy. Nothing was changed.',
    otherMerchant: 'This file is for merchant {{found}}, but this workstation belongs to {{current}}. Nothing was changed.',
    unsupportedKey: 'This type of key is not supported (use X25519, Ed25519, P-256 or RSA of 2048 bits or more). Nothing was changed.',
    notAKeyFile: 'This is not a key file or a merchant bundle. Nothing was changed.',
    needBundlePassphrase: 'This bundle is encrypted: enter the bundle passphrase the platform gave you.',
    duplicateKid: 'A different key with the same key id is already stored. Nothing was changed.',
    needRole: 'Choose what this key is: merchant encryption, merchant signing or issuer.',
    needIssuer: 'Enter the issuer id for this issuer key.',
    noMerchant: 'Import the merchant bundle or a merchant key first.',
    needKid: 'This key has no key id: enter the one the platform uses for it.',
    needPrivateKey: 'The merchant key {{kid}} has no private part: import the platform bundle or a PKCS#8 file.',
    unknownKid: 'There is no key with the id {{kid}}.',
  },
  admin: {
    required: 'This needs the admin passphrase.',
    wrongPassphrase: 'Wrong admin passphrase.',
    lockedOut: 'Too many wrong admin passphrases. Wait {{seconds}} seconds, then try again.',
    notConfigured: 'No admin passphrase is set yet: set one on the Keys screen.',
    alreadyConfigured: 'An admin passphrase is already set.',
    passphraseTooShort: 'The admin passphrase must have at least 8 characters.',
    mismatch: 'The two passphrases are not the same. Nothing was changed.',
  },
  staff: {
    roleRequired: 'Your role cannot do this ({{role}} needed): ask a manager or the owner to approve it. Nothing was changed.',
    signInRequired: 'Sign in first: scan your badge or enter your PIN.',
    wrongPin: 'Wrong PIN.',
    lockedOut: 'Too many wrong PINs. Wait {{seconds}} seconds, then try again.',
    notABadge: 'This is not a staff badge of this shop.',
    badgeWithdrawn: 'This badge has been withdrawn: a newer one was printed. Use the new badge or your PIN.',
    unknownStaff: 'There is no such staff member.',
    inactive: 'This staff account is turned off: ask the owner.',
    nameTaken: 'There is already a staff member with this name. Nothing was changed.',
    lastOwner: 'This is the only active owner account: add another owner first. Nothing was changed.',
  },
  roles: { cashier: 'cashier', manager: 'manager', owner: 'owner' },
  keystore: {
    locked: 'The key store is locked: unlock it first.',
    unreadable: 'A stored private key cannot be opened with this keychain or passphrase.',
  },
  redeem: {
    amountRequired: 'Stored-value voucher: enter the purchase amount. Nothing was redeemed.',
    tooManyUnits: 'Only {{left}} left on this voucher ({{asked}} asked). Nothing was redeemed.',
    campaignStockShort: 'Only {{left}} left in campaign {{campaign}}. Nothing was redeemed.',
  },
  import: {
    empty: 'The file is empty. Nothing was imported.',
    badJson: 'The file is not valid JSON or not a list. Nothing was imported.',
    badCsv: 'The file is not valid CSV (line {{line}}). Nothing was imported.',
    badCsvNoLine: 'The file is not valid CSV. Nothing was imported.',
    badRows: '{{count}} row(s) of the file are wrong: rows {{rows}} (the first row under the header is 1). Nothing was imported.',
    badTime: 'A date in the file cannot be read (column {{field}}): use a date like 2025-06-01. Nothing was imported.',
  },
  campaigns: {
    badInput: 'Check the campaign: opening hours look like 10:00-22:00.',
    badRange: 'The campaign ends before it starts.',
    unknown: 'There is no such campaign.',
  },
  file: {
    cannotRead: 'The file cannot be read. Nothing was imported.',
  },
  ledger: {
    unknownEvent: 'That redemption was not found.',
    alreadyReversed: 'That redemption was already undone.',
    notARedemption: 'Only a redemption can be undone.',
    reasonRequired: 'Choose why it is undone, and say it in words when the reason is "other".',
  },
  api: {
    badInput: 'The request was refused as invalid. Nothing was changed.',
    unknownCall: 'This screen does not match the running VoucherDesk. Restart the app.',
    forbidden: 'Access refused. Open VoucherDesk from the address it printed when it started.',
  },
  core: {
    stopped: 'The VoucherDesk core stopped. Restart the app.',
    internal: 'Something went wrong inside VoucherDesk. Nothing was changed; try again.',
    unavailable: 'The VoucherDesk core did not answer. Try again; if it keeps happening, restart the app.',
  },
  host: {
    unreachable: 'VoucherDesk cannot be reached. Is it still running?',
  },
  crm: crmErrors.en,
  sync: syncErrors.en,
  printer: printerErrors.en,
  backup: backupErrors.en,
  shift: shiftErrors.en,
  unknown: 'Error: {{message}}',
};

const zhCN: typeof en = {
  keys: {
    wrongPassphrase: '口令错误。未做任何更改。',
    corruptFile: '文件已损坏，无法读取。未做任何更改。',
    truncatedFile: '文件不完整（被截断），请重新获取。未做任何更改。',
    otherMerchant: '此文件属于商户 {{found}}，而本机属于 {{current}}。未做任何更改。',
    unsupportedKey: '不支持此类型的密钥（请使用 X25519、Ed25519、P-256 或 2048 位以上的 RSA）。未做任何更改。',
    notAKeyFile: '这不是密钥文件或商户密钥包。未做任何更改。',
    needBundlePassphrase: '此密钥包已加密：请输入平台提供的密钥包口令。',
    duplicateKid: '已存在编号相同但内容不同的密钥。未做任何更改。',
    needRole: '请选择此密钥的用途：商户加密、商户签名或发券平台。',
    needIssuer: '请填写此平台密钥所属的发券平台编号。',
    noMerchant: '请先导入商户密钥包或商户密钥。',
    needKid: '此密钥没有编号：请填写平台使用的密钥编号。',
    needPrivateKey: '商户密钥 {{kid}} 缺少私钥部分：请导入平台的密钥包或 PKCS#8 文件。',
    unknownKid: '没有编号为 {{kid}} 的密钥。',
  },
  admin: {
    required: '此操作需要管理员口令。',
    wrongPassphrase: '管理员口令错误。',
    lockedOut: '管理员口令错误次数过多。请等待 {{seconds}} 秒后再试。',
    notConfigured: '尚未设置管理员口令：请在密钥页面设置。',
    alreadyConfigured: '管理员口令已经设置过了。',
    passphraseTooShort: '管理员口令至少需要 8 个字符。',
    mismatch: '两次输入的口令不一致。未做任何更改。',
  },
  staff: {
    roleRequired: '您的角色无权执行此操作（需要{{role}}）：请店长或店主批准。未做任何更改。',
    signInRequired: '请先登录：刷员工卡或输入您的 PIN。',
    wrongPin: 'PIN 错误。',
    lockedOut: 'PIN 错误次数过多。请等待 {{seconds}} 秒后再试。',
    notABadge: '这不是本店的员工卡。',
    badgeWithdrawn: '此员工卡已作废：已打印了新卡。请使用新卡或 PIN。',
    unknownStaff: '没有这位员工。',
    inactive: '此员工账户已停用：请联系店主。',
    nameTaken: '已有同名员工。未做任何更改。',
    lastOwner: '这是唯一在用的店主账户：请先添加另一位店主。未做任何更改。',
  },
  roles: { cashier: '收银员', manager: '店长', owner: '店主' },
  keystore: {
    locked: '密钥库已锁定：请先解锁。',
    unreadable: '无法用当前钥匙串或口令打开已保存的私钥。',
  },
  redeem: {
    amountRequired: '储值券：请输入消费金额。未核销。',
    tooManyUnits: '此券只剩 {{left}} 份（要求 {{asked}} 份）。未核销。',
    campaignStockShort: '活动 {{campaign}} 只剩 {{left}}。未核销。',
  },
  import: {
    empty: '文件为空。未导入任何内容。',
    badJson: '文件不是有效的 JSON 列表。未导入任何内容。',
    badCsv: '文件不是有效的 CSV（第 {{line}} 行）。未导入任何内容。',
    badCsvNoLine: '文件不是有效的 CSV。未导入任何内容。',
    badRows: '文件中有 {{count}} 行有误：第 {{rows}} 行（表头下的第一行为第 1 行）。未导入任何内容。',
    badTime: '文件中的日期无法识别（{{field}} 列）：请使用如 2025-06-01 的日期。未导入任何内容。',
  },
  campaigns: {
    badInput: '请检查活动：营业时段格式如 10:00-22:00。',
    badRange: '活动结束时间早于开始时间。',
    unknown: '没有这个活动。',
  },
  file: {
    cannotRead: '无法读取该文件。未导入任何内容。',
  },
  ledger: {
    unknownEvent: '找不到这笔核销。',
    alreadyReversed: '这笔核销已经撤销过了。',
    notARedemption: '只能撤销核销记录。',
    reasonRequired: '请选择撤销原因；选择“其他”时请填写说明。',
  },
  api: {
    badInput: '请求无效，已被拒绝。未做任何更改。',
    unknownCall: '此界面与正在运行的 VoucherDesk 版本不一致，请重启应用。',
    forbidden: '拒绝访问。请使用 VoucherDesk 启动时显示的地址打开。',
  },
  core: {
    stopped: 'VoucherDesk 核心已停止，请重启应用。',
    internal: 'VoucherDesk 内部出错。未做任何更改，请重试。',
    unavailable: 'VoucherDesk 核心进程没有响应。请重试；如果仍然如此，请重启应用。',
  },
  host: {
    unreachable: '无法连接 VoucherDesk，它还在运行吗？',
  },
  crm: crmErrors['zh-CN'],
  sync: syncErrors['zh-CN'],
  printer: printerErrors['zh-CN'],
  backup: backupErrors['zh-CN'],
  shift: shiftErrors['zh-CN'],
  unknown: '错误：{{message}}',
};

export const errorStrings = { en, 'zh-CN': zhCN };
