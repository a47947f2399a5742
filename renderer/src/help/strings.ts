/**
 * The About/Help screen's words (namespace 'help'), English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 */

const en = {
  open: 'Help',
  openHint: 'About VoucherDesk, keyboard shortcuts, where the data lives, who to call',
  title: 'About and help',
  close: 'Close',
  loading: 'Reading…',
  about: {
    title: 'About this counter',
    version: 'Version',
    device: 'Device',
    merchant: 'Merchant',
    branch: 'Branch',
    none: '(not set up)',
  },
  shortcuts: {
    title: 'Keyboard shortcuts',
    tab: 'Go to the {{screen}} screen',
    enter: 'Redeem the code in the scan box; answer a question or confirm a dialog',
    escape: 'Clear the scan box; cancel a question or a dialog',
    arrows: 'One unit more or less, in the units question',
    tabKey: 'Ends a scan, like Enter (scanners set to send Tab)',
    typing: 'On the Redeem screen, typing goes to the scan box wherever the focus is',
    scannerKeys: 'Scanner',
    scanner: 'A keyboard scanner works on every screen (outside text fields): its codes are redeemed on the Redeem screen',
    kiosk: 'Do nothing in kiosk mode (reload, full screen, close, quit)',
  },
  data: {
    title: 'Where the data lives',
    hint: 'Back up the whole data folder. The database and the keys in it are encrypted; never send them to anyone.',
    folder: 'Data folder',
    logs: 'Log folder',
    database: 'Database file',
  },
  call: {
    title: 'Who to call',
    owner: 'The shop owner{{merchant}}: keys, settings, staff, backups and the admin passphrase. A manager can let the counter out of kiosk mode and approve undos.',
    merchant: ' ({{name}})',
  },
};

const zhCN: typeof en = {
  open: '帮助',
  openHint: '关于 VoucherDesk、快捷键、数据存放位置、联系谁',
  title: '关于与帮助',
  close: '关闭',
  loading: '正在读取…',
  about: {
    title: '关于本收银台',
    version: '版本',
    device: '设备',
    merchant: '商户',
    branch: '门店',
    none: '（尚未设置）',
  },
  shortcuts: {
    title: '键盘快捷键',
    tab: '切换到「{{screen}}」页面',
    enter: '核销扫码框中的券码；回答提问或确认对话框',
    escape: '清空扫码框；取消提问或对话框',
    arrows: '在份数提问中增加或减少一份',
    tabKey: '结束一次扫码，与回车相同（设置为发送 Tab 的扫码枪）',
    typing: '在核销页面，无论焦点在哪里，输入都会进入扫码框',
    scannerKeys: '扫码枪',
    scanner: '键盘式扫码枪在所有页面都可使用（文本框之外）：扫到的券码在核销页面核销',
    kiosk: '锁定模式下无效（刷新、全屏、关闭、退出）',
  },
  data: {
    title: '数据存放位置',
    hint: '请备份整个数据文件夹。数据库及其中的密钥已加密；切勿发送给任何人。',
    folder: '数据文件夹',
    logs: '日志文件夹',
    database: '数据库文件',
  },
  call: {
    title: '联系谁',
    owner: '店主{{merchant}}：密钥、设置、员工、备份和管理员口令。店长可以解除锁定模式并批准撤销。',
    merchant: '（{{name}}）',
  },
};

export const helpStrings = { en, 'zh-CN': zhCN };
