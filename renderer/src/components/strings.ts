/**
 * The app's frame (title, tabs, header, dialogs, admin approval): the i18next namespace 'app', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 * Plain words for the counter: say what happened and what to do next.
 */

const en = {
  title: 'VoucherDesk',
  /** A label before its value: the colon of the language (full-width in Chinese). */
  labelled: '{{label}}: ',
  money: {
    notNumber: 'Type an amount like {{example}}.',
    tooManyDecimals: 'This currency has {{count}} decimal(s): type an amount like {{example}}.',
    zero: 'The amount must be more than zero.',
    tooLarge: 'This amount is too large.',
  },
  productPicker: {
    none: '(no product)',
    option: '{{name}} ({{sku}})',
  },
  loading: 'Starting…',
  loadFailed: 'VoucherDesk could not start.',
  retry: 'Try again',
  tabs: {
    label: 'Screens',
    redeem: 'Redeem',
    catalog: 'Catalog',
    keys: 'Keys',
    settings: 'Settings',
    members: 'Members',
    sync: 'Sync',
    staff: 'Staff',
    shift: 'Shift',
    reports: 'Reports',
  },
  header: {
    noMerchant: 'No merchant set up',
    language: 'Language',
    lock: 'Lock',
    lockHint: 'Lock the key store (the admin passphrase is needed to redeem again)',
    keystore: {
      empty: 'No keys',
      locked: 'Keys locked',
      unlocked: 'Keys ready',
    },
  },
  lang: {
    auto: 'Automatic',
    en: 'English',
    zhCN: '简体中文',
  },
  dialog: {
    ok: 'OK',
    cancel: 'Cancel',
    working: 'Please wait…',
  },
  admin: {
    title: 'Admin approval',
    hint: 'This needs the owner or admin.',
    label: 'Admin passphrase',
    submit: 'Confirm',
  },
};

const zhCN: typeof en = {
  title: 'VoucherDesk 核销台',
  labelled: '{{label}}：',
  money: {
    notNumber: '请输入金额，例如 {{example}}。',
    tooManyDecimals: '此币种最多 {{count}} 位小数：请输入例如 {{example}} 的金额。',
    zero: '金额必须大于零。',
    tooLarge: '金额太大。',
  },
  productPicker: {
    none: '（不指定商品）',
    option: '{{name}}（{{sku}}）',
  },
  loading: '正在启动…',
  loadFailed: 'VoucherDesk 无法启动。',
  retry: '重试',
  tabs: {
    label: '页面',
    redeem: '核销',
    catalog: '目录',
    keys: '密钥',
    settings: '设置',
    members: '会员',
    sync: '同步',
    staff: '员工',
    shift: '班次',
    reports: '报表',
  },
  header: {
    noMerchant: '尚未设置商户',
    language: '语言',
    lock: '锁定',
    lockHint: '锁定密钥库（再次核销需要输入管理员口令）',
    keystore: {
      empty: '没有密钥',
      locked: '密钥已锁定',
      unlocked: '密钥可用',
    },
  },
  lang: {
    auto: '自动',
    en: 'English',
    zhCN: '简体中文',
  },
  dialog: {
    ok: '确定',
    cancel: '取消',
    working: '请稍候…',
  },
  admin: {
    title: '管理员确认',
    hint: '此操作需要店主或管理员确认。',
    label: '管理员口令',
    submit: '确认',
  },
};

export const appStrings = { en, 'zh-CN': zhCN };
