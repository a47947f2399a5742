/**
 * The Settings screen: the i18next namespace 'settings', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 * Plain words for the counter: say what happened and what to do next.
 */

const en = {
  title: 'Settings',
  cashier: 'Cashier name',
  cashierHint: 'Recorded with every redemption made on this workstation.',
  save: 'Save',
  saved: 'Saved.',
  language: 'Language',
  sound: 'Sound',
  soundOn: 'Play a sound for each verdict',
  testAccept: 'Test accept sound',
  testReject: 'Test reject sound',
  tolerance: 'Clock tolerance (seconds)',
  toleranceHint: 'How far the clock may be off when checking validity dates. Admin only.',
  about: 'About this workstation',
  device: 'Device',
  version: 'Version',
};

const zhCN: typeof en = {
  title: '设置',
  cashier: '收银员姓名',
  cashierHint: '本机的每笔核销都会记录此姓名。',
  save: '保存',
  saved: '已保存。',
  language: '语言',
  sound: '声音',
  soundOn: '每次核验结果播放提示音',
  testAccept: '试听通过提示音',
  testReject: '试听拒绝提示音',
  tolerance: '时钟容差（秒）',
  toleranceHint: '核验有效期时允许的时钟误差。仅限管理员。',
  about: '关于本机',
  device: '设备',
  version: '版本',
};

export const settingsStrings = { en, 'zh-CN': zhCN };
