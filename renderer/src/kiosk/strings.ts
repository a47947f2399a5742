/**
 * Kiosk mode's words (namespace 'kiosk'), English and Simplified Chinese
 * (registered in i18n/resources.ts; test/renderer/i18n.test.ts checks both have the same keys).
 */

const en = {
  badge: 'Kiosk',
  badgeHint: 'Kiosk mode: full screen; a manager can let the counter out',
  title: 'Kiosk mode',
  on: 'Kiosk mode is on: the counter runs full screen and nobody can leave it without a manager.',
  left: 'Kiosk mode is on, but a manager let the counter out. It locks again when VoucherDesk starts again, or now:',
  off: 'Kiosk mode is off.',
  turnOn: 'Turn kiosk mode on',
  turnOff: 'Turn kiosk mode off',
  settingHint: 'Only the owner turns kiosk mode on or off. Leaving it needs a manager (or the owner).',
  leave: 'Leave kiosk mode',
  leaveHint: 'Needs a manager or the owner.',
  resume: 'Back to kiosk mode',
  leftDone: 'The counter is out of kiosk mode until VoucherDesk starts again.',
  prompt: {
    startTitle: 'Kiosk mode: full screen',
    startHint: 'This counter runs full screen. Press the button to start.',
    backTitle: 'Full screen was left',
    backHint: 'Kiosk mode is on: go back to full screen to keep working.',
    fullscreen: 'Full screen',
    cannot: 'This browser did not allow full screen. Press the button again.',
  },
  browser: {
    title: 'In a browser',
    note: 'A browser cannot be fully locked: a page cannot stop every key that closes it, switches windows or leaves full screen (holding Esc does). For a locked counter, use the VoucherDesk app, or start Chromium in its own kiosk mode with the address the host printed:',
    command: 'chromium --kiosk --noerrdialogs --disable-pinch "<address>"',
  },
};

const zhCN: typeof en = {
  badge: '锁定',
  badgeHint: '自助锁定模式：全屏运行；店长可以解除',
  title: '锁定模式（全屏）',
  on: '锁定模式已开启：收银台全屏运行，没有店长确认无法退出。',
  left: '锁定模式已开启，但店长已让收银台暂时退出。VoucherDesk 下次启动时会重新锁定，也可以现在就锁定：',
  off: '锁定模式已关闭。',
  turnOn: '开启锁定模式',
  turnOff: '关闭锁定模式',
  settingHint: '只有店主可以开启或关闭锁定模式。退出锁定模式需要店长（或店主）确认。',
  leave: '退出锁定模式',
  leaveHint: '需要店长或店主确认。',
  resume: '重新锁定',
  leftDone: '收银台已退出锁定模式，直到 VoucherDesk 下次启动。',
  prompt: {
    startTitle: '锁定模式：全屏',
    startHint: '本收银台全屏运行。请按下按钮开始。',
    backTitle: '已退出全屏',
    backHint: '锁定模式已开启：请回到全屏后继续使用。',
    fullscreen: '全屏',
    cannot: '浏览器没有允许全屏。请再按一次按钮。',
  },
  browser: {
    title: '在浏览器中',
    note: '浏览器无法被完全锁定：网页无法拦截所有关闭页面、切换窗口或退出全屏的按键（长按 Esc 即可退出全屏）。如需完全锁定，请使用 VoucherDesk 应用程序，或用 Chromium 自带的 kiosk 模式打开主机打印的地址：',
    command: 'chromium --kiosk --noerrdialogs --disable-pinch "<地址>"',
  },
};

export const kioskStrings = { en, 'zh-CN': zhCN };
