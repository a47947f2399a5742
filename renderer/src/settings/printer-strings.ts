/**
 * The receipt printer's words: the i18next namespace 'printer' (its section of
 * Settings and the slip button on the counter's verdict) and its errors
 * (`errors.printer.*`), English and Simplified Chinese. Registered in
 * i18n/resources.ts and i18n/errors.ts.
 */

const en = {
  title: 'Receipt printer',
  kind: 'Printer',
  kinds: { none: 'No printer', serial: 'Serial / USB-serial port', tcp: 'Network printer (raw TCP)', os: 'Printer of this computer (CUPS)' },
  path: 'Port',
  pathHint: 'For example /dev/ttyUSB0 or COM3.',
  baudRate: 'Speed (baud)',
  host: 'Address',
  hostHint: 'The printer’s IP address, for example 192.168.1.50.',
  port: 'TCP port',
  osName: 'Printer name',
  osNameHint: 'The name CUPS knows it by (lpstat -p lists them).',
  paper: 'Paper width',
  papers: { '58': '58 mm (32 characters)', '80': '80 mm (48 characters)' },
  language: 'Slip language',
  languages: { en: 'English', 'zh-CN': '简体中文 (Chinese)' },
  afterRedemption: 'After a redemption',
  policies: { always: 'Always print a slip', ask: 'Offer a “Print slip” button', never: 'Never print' },
  save: 'Save',
  saved: 'Saved.',
  ownerHint: 'Changing the printer needs the owner.',
  test: 'Print a test page',
  testDone: 'Test page sent to the printer.',
  last: 'Last slip: {{title}}',
  printSlip: 'Print slip',
  reprint: 'Reprint',
  printed: 'Slip printed.',
  notPrinted: 'Slip not printed: {{reason}} The redemption is recorded.',
  printSummary: 'Print on the receipt printer',
  summaryNotPrinted: 'Not printed: {{reason}}',
};

const zhCN: typeof en = {
  title: '小票打印机',
  kind: '打印机',
  kinds: { none: '不使用打印机', serial: '串口 / USB 转串口', tcp: '网络打印机（TCP 直连）', os: '本机打印机（CUPS）' },
  path: '端口',
  pathHint: '例如 /dev/ttyUSB0 或 COM3。',
  baudRate: '波特率',
  host: '地址',
  hostHint: '打印机的 IP 地址，例如 192.168.1.50。',
  port: 'TCP 端口',
  osName: '打印机名称',
  osNameHint: 'CUPS 中的打印机名称（lpstat -p 可列出）。',
  paper: '纸宽',
  papers: { '58': '58 毫米（32 字符）', '80': '80 毫米（48 字符）' },
  language: '小票语言',
  languages: { en: 'English（英文）', 'zh-CN': '简体中文' },
  afterRedemption: '核销之后',
  policies: { always: '总是打印小票', ask: '显示“打印小票”按钮', never: '不打印' },
  save: '保存',
  saved: '已保存。',
  ownerHint: '更改打印机设置需要店主。',
  test: '打印测试页',
  testDone: '测试页已发送到打印机。',
  last: '上一张小票：{{title}}',
  printSlip: '打印小票',
  reprint: '重打小票',
  printed: '小票已打印。',
  notPrinted: '小票未打印：{{reason}}核销已记录。',
  printSummary: '用小票打印机打印',
  summaryNotPrinted: '未打印：{{reason}}',
};

export const printerStrings = { en, 'zh-CN': zhCN };

const errorsEn = {
  notConfigured: 'No receipt printer is set up: choose one in Settings.',
  unreachable: 'The printer at {{where}} cannot be reached: check that it is switched on, has paper and is connected to the network.',
  timeout: 'The printer at {{where}} did not answer within {{seconds}} seconds: check that it is switched on and connected.',
  portFailed: 'The printer’s port {{path}} cannot be used: check the cable and that no other program is using it.',
  lpMissing: 'This computer has no printing system (CUPS, the lp command): install it or choose a serial or network printer.',
  osFailed: 'The printer {{name}} of this computer refused the slip: check it in the system’s printer settings.',
  nothingToReprint: 'No slip has been printed on this workstation yet.',
};

const errorsZhCN: typeof errorsEn = {
  notConfigured: '尚未设置小票打印机：请在“设置”中选择。',
  unreachable: '无法连接地址为 {{where}} 的打印机：请检查打印机是否开机、有纸并已连接网络。',
  timeout: '地址为 {{where}} 的打印机在 {{seconds}} 秒内没有响应：请检查打印机是否开机并已连接。',
  portFailed: '打印机端口 {{path}} 无法使用：请检查数据线，并确认没有其他程序占用该端口。',
  lpMissing: '本机没有打印系统（CUPS 的 lp 命令）：请安装，或改用串口或网络打印机。',
  osFailed: '本机打印机 {{name}} 拒绝了这张小票：请在系统的打印机设置中检查。',
  nothingToReprint: '本收银台还没有打印过小票。',
};

export const printerErrors = { en: errorsEn, 'zh-CN': errorsZhCN };
