/**
 * Kiosk mode in a browser (the browser host): while the counter is locked the
 * page asks for full screen (the Fullscreen API needs a press of a button), asks
 * again whenever it is left, takes the keyboard where Chromium lets a full-screen
 * page have it (Keyboard Lock: then holding Esc is the only way out of full
 * screen), drops the keys kiosk mode takes away, and asks before the page is
 * closed. A browser cannot be fully locked; the prompt says so. In the Electron
 * app the shell locks the window itself and this shows nothing.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kioskBlocks } from '../../../common/kiosk/keys';
import { useAction } from '../components/useAction';
import { BrowserNote } from './BrowserNote';
import { inShell, useKiosk } from './useKiosk';
import './kiosk.css';

interface KeyboardLock {
  lock?(keys?: string[]): Promise<void>;
  unlock?(): void;
}
const keyboard = (): KeyboardLock | undefined => (navigator as Navigator & { keyboard?: KeyboardLock }).keyboard;

/** Whether the page is full screen now, and whether it has been since it loaded. */
function useFullscreen(): { full: boolean; ever: boolean } {
  const [now, setNow] = useState(() => ({ full: document.fullscreenElement !== null, ever: document.fullscreenElement !== null }));
  useEffect(() => {
    const onChange = () => setNow((was) => ({ full: document.fullscreenElement !== null, ever: was.ever || document.fullscreenElement !== null }));
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  return now;
}

export function KioskGuard() {
  const kiosk = useKiosk();
  const locked = kiosk.state?.locked === true && !inShell();
  const { full, ever } = useFullscreen();

  // The page's own part of the lock: its keys, its context menu, closing it.
  useEffect(() => {
    if (!locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (kioskBlocks({ key: e.key, ctrl: e.ctrlKey, alt: e.altKey, shift: e.shiftKey, meta: e.metaKey })) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    const onMenu = (e: Event) => e.preventDefault();
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('contextmenu', onMenu, true);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('contextmenu', onMenu, true);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [locked]);

  // In full screen, take the keyboard (Chromium: Esc must then be held to leave full screen).
  useEffect(() => {
    if (!locked || !full) return;
    keyboard()?.lock?.().catch(() => {});
    return () => keyboard()?.unlock?.();
  }, [locked, full]);

  // Out of kiosk mode (a manager's leave, the owner turning it off): out of full screen too.
  useEffect(() => {
    if (!locked) return;
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    };
  }, [locked]);

  if (!locked || full) return null;
  return <FullscreenPrompt back={ever} onLeave={() => kiosk.leave()} />;
}

function FullscreenPrompt({ back, onLeave }: { back: boolean; onLeave(): Promise<unknown> }) {
  const { t } = useTranslation('kiosk');
  const ref = useRef<HTMLDialogElement>(null);
  const { busy, error, setError, run } = useAction();

  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const stay = (e: Event) => e.preventDefault(); // Esc does not dismiss it
    d.addEventListener('cancel', stay);
    return () => d.removeEventListener('cancel', stay);
  }, []);

  async function enter() {
    setError(null);
    try {
      await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      setError(t('prompt.cannot'));
    }
  }

  return (
    <dialog ref={ref} className="dialog kiosk-prompt" data-testid="kiosk-prompt" data-back={back} aria-labelledby="kiosk-prompt-title">
      <div className="dialog__form">
        <h2 id="kiosk-prompt-title" className="dialog__title">
          {back ? t('prompt.backTitle') : t('prompt.startTitle')}
        </h2>
        <p className="dialog__hint">{back ? t('prompt.backHint') : t('prompt.startHint')}</p>
        <button type="button" className="button button--primary kiosk-prompt__go" data-autofocus onClick={() => void enter()} data-testid="kiosk-fullscreen">
          {t('prompt.fullscreen')}
        </button>
        {error ? (
          <p className="form-error" role="alert" data-testid="kiosk-prompt-error">
            {error}
          </p>
        ) : null}
        <BrowserNote />
        <div className="dialog__buttons">
          <button type="button" className="button button--small" disabled={busy} title={t('leaveHint')} onClick={() => void run(onLeave)} data-testid="kiosk-leave">
            {t('leave')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
