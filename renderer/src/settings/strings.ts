/**
 * The Settings screen: the i18next namespace 'settings', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 * Plain words for the counter: say what happened and what to do next.
 */

const en = {
  title: 'Settings',
  cashier: 'Cashier name',
  cashierHint: 'Recorded with every redemption made on this workstation. Changing it needs the admin passphrase.',
  save: 'Save',
  saved: 'Saved.',
  language: 'Language',
  tolerance: 'Clock tolerance (seconds)',
  toleranceHint: 'How far the clock may be off when checking validity dates. Admin only.',
  about: 'About this workstation',
  device: 'Device',
  version: 'Version',
};

const zhCN: typeof en = {
  title: '设置',
  cashier: '收银员姓名',
  cashierHint: '本机的每笔核销都会记录此姓名。修改需要管理员口令。',
  save: '保存',
  saved: '已保存。',
  language: '语言',
  tolerance: '时钟容差（秒）',
  toleranceHint: '核验有效期时允许的时钟误差。仅限管理员。',
  about: '关于本机',
  device: '设备',
  version: '版本',
};

export const settingsStrings = { en, 'zh-CN': zhCN };
