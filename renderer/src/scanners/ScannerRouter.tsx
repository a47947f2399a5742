/**
 * Mounted once in the app: brings every scanner to the Redeem screen.
 *
 * - `scanner.code` from the core (a serial scanner): switches to Redeem and
 *   runs the code through the Redeem screen's own flow.
 * - Keyboard-wedge bursts typed while focus is on a button or the page of
 *   another screen (never in a text field or a dialog): the same.
 * - While the staff sign-in or a manager's approval is open, it takes the
 *   scans (a staff badge) and the screen stays (store.ts, captureScans).
 * - Keeps the scanner settings and the serial state for the settings screen,
 *   applies the volume, and shows the full-screen verdict flash.
 */
import { useEffect, useRef, useState } from 'react';
import type { SoundName } from '../sound';
import { onFeedback, setVolume } from '../sound';
import { useApp, type Tab } from '../context';
import { isDialogOpen, isTextField } from '../focus';
import { keyboardScan, scansCaptured, setScannersStatus, setSerialState, submitExternalScan, useScanners } from './store';
import { WedgeDetector } from './wedge';

export function ScannerRouter({ tab }: { tab: Tab }) {
  const { api, goTo } = useApp();
  const { status } = useScanners();

  useEffect(() => {
    let live = true;
    api.call('scanners.status', {}).then(
      (s) => live && setScannersStatus(s),
      () => undefined, // an older core without scanners: the wedge still works with its defaults
    );
    const offState = api.on('scanner.state', (s) => setSerialState(s));
    const offCode = api.on('scanner.code', ({ text }) => {
      if (!scansCaptured()) goTo('redeem'); // a staff badge for the sign-in or approval open now stays there
      submitExternalScan(text, 'serial');
    });
    return () => {
      live = false;
      offState();
      offCode();
    };
  }, [api, goTo]);

  const volume = status?.config.feedback.volume ?? 80;
  useEffect(() => setVolume(volume), [volume]);

  // On the Redeem screen its own input takes the keys (it grabs them from buttons too); elsewhere the wedge watches.
  const wedgeOn = status?.config.wedge.enabled ?? true;
  const watching = wedgeOn && tab !== 'redeem';
  useEffect(() => {
    if (!watching) return;
    const detector = new WedgeDetector((raw) => {
      const text = keyboardScan(raw);
      if (!text) return;
      if (!scansCaptured()) goTo('redeem');
      submitExternalScan(text, 'keyboard');
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || isDialogOpen() || isTextField(document.activeElement)) {
        detector.reset();
        return;
      }
      if (detector.key(e.key, e.timeStamp) === 'consume') {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    const reset = () => detector.reset();
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('blur', reset);
      detector.reset();
    };
  }, [watching, goTo]);

  return <VerdictFlash enabled={status?.config.feedback.flash ?? true} />;
}

const FLASH_COLOUR: Record<SoundName, string> = { accept: 'var(--ok)', reject: 'var(--bad)', warning: 'var(--warn)' };

/** One fade of the verdict colour over the whole window (~400 ms), for a cashier looking at the customer. */
function VerdictFlash({ enabled }: { enabled: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [tone, setTone] = useState<SoundName | null>(null);
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    return onFeedback((name) => {
      setTone(name);
      setSeq((n) => n + 1);
    });
  }, [enabled]);
  useEffect(() => {
    const el = ref.current;
    if (!el || !tone || seq === 0) return;
    // A single fade from a soft tint to nothing: no repeat, no strobe.
    const a = el.animate([{ opacity: 0.45 }, { opacity: 0 }], { duration: 400, easing: 'ease-out', fill: 'forwards' });
    return () => a.cancel();
  }, [seq, tone]);
  return (
    <div
      ref={ref}
      aria-hidden="true"
      data-testid="verdict-flash"
      data-tone={tone ?? ''}
      data-seq={seq}
      style={{
        position: 'fixed',
        inset: 0,
        pointerEvents: 'none',
        zIndex: 2147483000,
        opacity: 0,
        background: tone ? FLASH_COLOUR[tone] : 'transparent',
      }}
    />
  );
}
