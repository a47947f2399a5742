/**
 * Starts the core process as an Electron utilityProcess and gives it the OS
 * services it asks for (the keychain, through safeStorage). If it dies
 * unexpectedly, the cashier sees a dialog and it is restarted once.
 */
import { app, dialog, safeStorage, utilityProcess, type BrowserWindow } from 'electron';
import type { CallError } from '../../preload/contract';
import type { OsServices } from '../core/process/protocol';
import { CoreSupervisor, type CoreProcessLike } from './core-supervisor';
import { loadDeviceId } from './device-id';

export interface CoreHostOptions {
  /** The bundled core entry, out/core/main.cjs. */
  entry: string;
  dataDir: string;
  /** The window a crash dialog belongs to, when there is one. */
  window(): BrowserWindow | null;
}

export type CoreHost = CoreSupervisor;

/**
 * True when safeStorage is backed by a real OS keychain. On Linux without a
 * secret service Electron falls back to 'basic_text', a hard-coded key: that
 * is no protection, so we use the passphrase protector instead.
 */
async function osKeychainAvailable(): Promise<boolean> {
  try {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** safeStorage as the core's SecretProtector backend. Binary secrets travel as base64 text. */
function safeStorageServices(available: boolean): OsServices {
  return {
    available: () => available,
    async protect(plain) {
      if (!available) throw new Error('The OS keychain is not available');
      return await safeStorage.encryptStringAsync(plain.toString('base64'));
    },
    async unprotect(blob) {
      if (!available) throw new Error('The OS keychain is not available');
      const { result } = await safeStorage.decryptStringAsync(blob);
      return Buffer.from(result, 'base64');
    },
  };
}

function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') env[k] = v;
  return env;
}

function forward(from: NodeJS.ReadableStream | null, to: NodeJS.WriteStream): void {
  from?.on('data', (chunk: Buffer | string) => {
    try {
      to.write(chunk);
    } catch {
      // No console (a packaged app on Windows): drop the output.
    }
  });
}

const CRASH_TEXT = {
  en: {
    restarting: 'The VoucherDesk core stopped unexpectedly. It is being restarted; please scan the last voucher again.',
    gone: 'The VoucherDesk core stopped again. Please close VoucherDesk and start it again.',
    detail: (code: number, why: string) => `${why}Exit code ${code}. Redemptions already shown as accepted are saved.`,
  },
  zh: {
    restarting: 'VoucherDesk 核心进程意外停止，正在重新启动；请重新扫描最后一张券。',
    gone: 'VoucherDesk 核心进程再次停止。请关闭 VoucherDesk 后重新打开。',
    detail: (code: number, why: string) => `${why}退出码 ${code}。已显示为核销成功的记录均已保存。`,
  },
};

function showCrashDialog(win: BrowserWindow | null, code: number, restarting: boolean, error: CallError | null): void {
  const text = app.getLocale().toLowerCase().startsWith('zh') ? CRASH_TEXT.zh : CRASH_TEXT.en;
  const options = {
    type: 'error' as const,
    title: 'VoucherDesk',
    message: restarting ? text.restarting : text.gone,
    // The core's own message (English, never secret), e.g. a database from a newer version.
    detail: text.detail(code, error ? `${error.message}\n` : ''),
  };
  void (win && !win.isDestroyed() ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

/** Forks the core (after app ready) and returns its supervisor; calls wait until it is ready. */
export async function startCoreHost(opts: CoreHostOptions): Promise<CoreHost> {
  const keychain = await osKeychainAvailable();
  const args = ['--data-dir', opts.dataDir, '--protector', keychain ? 'os' : 'passphrase', '--device', loadDeviceId(opts.dataDir)];

  const spawn = (): CoreProcessLike => {
    const child = utilityProcess.fork(opts.entry, args, { serviceName: 'VoucherDesk core', stdio: 'pipe', env: childEnv() });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    return {
      postMessage: (msg) => child.postMessage(msg),
      kill: () => child.kill(),
      onMessage: (fn) => child.on('message', fn),
      onExit: (fn) => child.on('exit', fn),
    };
  };

  const core = new CoreSupervisor({
    spawn,
    os: safeStorageServices(keychain),
    onUnexpectedExit: ({ code, restarting, error }) => {
      console.error(`VoucherDesk core exited unexpectedly with code ${code}${error ? ` (${error.code})` : ''}${restarting ? '; restarting it' : ''}`);
      showCrashDialog(opts.window(), code, restarting, error);
    },
  });
  void core.start();
  return core;
}
