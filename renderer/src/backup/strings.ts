/**
 * The Backup section of Settings: the i18next namespace 'backup', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 * Its error codes (backup.*) are in `backupErrors`, joined into the 'errors' namespace.
 */

const en = {
  title: 'Backup',
  intro: 'A backup holds everything on this workstation: redemptions, members, keys (still sealed), settings. It is encrypted with the backup passphrase: keep the passphrase apart from the USB stick.',
  path: 'File or folder (a USB stick)',
  pathHint: 'A folder gets a file named after this device and the time.',
  passphrase: 'Backup passphrase',
  passphraseHint: 'At least 8 characters. Without it the backup cannot be opened by anyone, you included.',
  now: 'Back up now',
  written: 'Backup written: {{file}} ({{events}} redemptions and undos).',
  last: 'Last backup',
  never: 'No backup yet.',
  lastOk: '{{when}}, {{how}}: written to {{file}}',
  lastFailed: '{{when}}, {{how}}: failed ({{reason}})',
  scheduled: 'scheduled',
  onDemand: 'on demand',
  schedule: 'Daily backup',
  scheduleOn: 'Back up every day',
  time: 'At (local time)',
  folder: 'Into the folder',
  keep: 'Keep the last',
  scheduleHint: 'Runs when VoucherDesk is open at or after that time, once a day. The passphrase is needed when you turn it on.',
  saveSchedule: 'Save schedule',
  scheduleSaved: 'Schedule saved.',
  verifyTitle: 'Check or restore a backup',
  verify: 'Check the file',
  summary: 'Backup of {{device}} ({{merchant}}), taken {{when}}: {{events}} redemptions and undos. The file is intact.',
  restore: 'Restore this backup…',
  confirmTitle: 'Replace this workstation?',
  confirmText:
    'Everything on this workstation (redemptions, members, keys, settings) will be replaced by the backup of {{device}} taken {{when}}. The current files are kept in a folder named voucherdesk-before-restore-… in the data folder. Close and reopen VoucherDesk to finish.',
  confirm: 'Yes, replace it',
  cancel: 'Cancel',
  staged: 'A restore of {{device}} taken {{when}} is ready: close and reopen VoucherDesk to finish it.',
  rebuildTitle: 'Rebuild from the platform',
  rebuildHint: 'For a replaced PC: after importing this device’s bundle again, its own redemptions come back from the platform.',
  rebuild: 'Rebuild the history',
  rebuilt: '{{events}} redemptions and undos came back from the platform.',
};

const zhCN: typeof en = {
  title: '备份',
  intro: '备份包含本机的全部数据：核销记录、会员、密钥（仍保持封存）和设置。备份用备份口令加密：请将口令与U盘分开保管。',
  path: '文件或文件夹（U盘）',
  pathHint: '选择文件夹时，文件名包含本机设备号和时间。',
  passphrase: '备份口令',
  passphraseHint: '至少8个字符。没有口令，任何人（包括您）都无法打开备份。',
  now: '立即备份',
  written: '备份已写入：{{file}}（{{events}} 条核销与撤销）。',
  last: '上次备份',
  never: '尚无备份。',
  lastOk: '{{when}}，{{how}}：已写入 {{file}}',
  lastFailed: '{{when}}，{{how}}：失败（{{reason}}）',
  scheduled: '定时',
  onDemand: '手动',
  schedule: '每日备份',
  scheduleOn: '每天备份',
  time: '时间（本地）',
  folder: '保存到文件夹',
  keep: '保留最近',
  scheduleHint: '在该时间或之后、VoucherDesk 打开时运行，每天一次。开启时需要输入备份口令。',
  saveSchedule: '保存计划',
  scheduleSaved: '计划已保存。',
  verifyTitle: '检查或恢复备份',
  verify: '检查文件',
  summary: '{{device}}（{{merchant}}）的备份，时间 {{when}}：{{events}} 条核销与撤销。文件完好。',
  restore: '恢复此备份…',
  confirmTitle: '替换本机数据？',
  confirmText:
    '本机的全部数据（核销记录、会员、密钥、设置）将被 {{device}} 于 {{when}} 的备份替换。当前文件保留在数据文件夹中名为 voucherdesk-before-restore-… 的文件夹里。关闭并重新打开 VoucherDesk 即可完成。',
  confirm: '确认替换',
  cancel: '取消',
  staged: '{{device}} 于 {{when}} 的备份已准备好恢复：关闭并重新打开 VoucherDesk 即可完成。',
  rebuildTitle: '从平台重建',
  rebuildHint: '用于更换电脑：重新导入本设备的密钥包后，本机的核销记录会从平台取回。',
  rebuild: '重建记录',
  rebuilt: '已从平台取回 {{events}} 条核销与撤销。',
};

export const backupStrings = { en, 'zh-CN': zhCN };

/** The words of the backup.* error codes (ERROR_CODES), for the 'errors' namespace. */
export const backupErrors = {
  en: {
    unreadable: 'This file is not a VoucherDesk backup, or it is cut short. Nothing was changed.',
    altered: 'This backup was changed or damaged after it was made; it cannot be restored. Nothing was changed.',
    wrongPassphrase: 'Wrong backup passphrase. Nothing was changed.',
    tooNew: 'This backup was made by a newer VoucherDesk: update VoucherDesk to restore it.',
    notFound: 'That file or folder cannot be found (is the USB stick in?).',
    cannotWrite: 'The backup could not be written there: check the folder or the USB stick and its free space.',
    needPassphrase: 'Enter the backup passphrase for the daily backups.',
  },
  'zh-CN': {
    unreadable: '此文件不是 VoucherDesk 备份，或者不完整。未做任何更改。',
    altered: '此备份在生成后被修改或损坏，无法恢复。未做任何更改。',
    wrongPassphrase: '备份口令错误。未做任何更改。',
    tooNew: '此备份由更新版本的 VoucherDesk 生成：请先更新 VoucherDesk。',
    notFound: '找不到该文件或文件夹（U盘是否已插入？）。',
    cannotWrite: '无法写入备份：请检查文件夹或U盘及其剩余空间。',
    needPassphrase: '请输入每日备份使用的备份口令。',
  },
};
