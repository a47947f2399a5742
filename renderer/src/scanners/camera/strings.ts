/**
 * The camera's words: the i18next namespace 'camera', English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 */

const en = {
  title: 'Camera',
  turnOn: 'Scan with camera',
  turnOff: 'Turn camera off',
  chooseCamera: 'Camera',
  defaultCamera: 'Default camera',
  cameraN: 'Camera {{n}}',
  torch: 'Light',
  zoom: 'Zoom',
  guide: 'Hold the code inside the frame',
  state_off: 'The camera is off.',
  state_standby: 'On: the camera runs while the Redeem screen is showing.',
  state_starting: 'Starting the camera…',
  state_live: 'Camera on: hold the code inside the frame.',
  state_denied: 'Permission to use the camera was denied. Allow the camera for VoucherDesk (in the browser or system settings), then try again.',
  state_inUse: 'The camera is in use by another program. Close that program, then try again.',
  state_noCamera: 'No camera found. Connect a camera, then try again.',
  state_unavailable: 'The camera is not available here ({{reason}}).',
  retry: 'Try again',
  fallback: 'Fast decoder unavailable ({{reason}}); using the slower one.',
  settingsTitle: 'Camera scanner',
  settingsOn: 'Use the camera on the Redeem screen',
  settingsState: 'State',
  settingsEngine: 'Decoder',
  settingsRefresh: 'Find cameras',
  settingsHint: 'Reads QR Code, PDF417, Data Matrix and Aztec. The same code held up again within 3 seconds counts once.',
};

const zhCN: typeof en = {
  title: '摄像头',
  turnOn: '用摄像头扫码',
  turnOff: '关闭摄像头',
  chooseCamera: '摄像头',
  defaultCamera: '默认摄像头',
  cameraN: '摄像头 {{n}}',
  torch: '补光灯',
  zoom: '缩放',
  guide: '请将二维码放在框内',
  state_off: '摄像头已关闭。',
  state_standby: '已开启：在核销页面显示时使用摄像头。',
  state_starting: '正在启动摄像头…',
  state_live: '摄像头已开启：请将二维码放在框内。',
  state_denied: '没有使用摄像头的权限。请在浏览器或系统设置中允许 VoucherDesk 使用摄像头，然后重试。',
  state_inUse: '摄像头正被其他程序占用。请关闭该程序后重试。',
  state_noCamera: '未找到摄像头。请连接摄像头后重试。',
  state_unavailable: '此处无法使用摄像头（{{reason}}）。',
  retry: '重试',
  fallback: '快速解码器不可用（{{reason}}），正在使用较慢的解码器。',
  settingsTitle: '摄像头扫码',
  settingsOn: '在核销页面使用摄像头',
  settingsState: '状态',
  settingsEngine: '解码器',
  settingsRefresh: '查找摄像头',
  settingsHint: '可识别 QR 码、PDF417、Data Matrix 和 Aztec。同一个码在 3 秒内再次出现只算一次。',
};

export const cameraStrings = { en, 'zh-CN': zhCN };
