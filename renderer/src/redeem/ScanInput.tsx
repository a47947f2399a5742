/**
 * The one Redeem input. It keeps the focus (a click on nothing, a closed
 * dialog or a returning window gives it back; a printable key typed while a
 * button or the language menu has focus is sent here) but never takes it from
 * another text field or an open dialog.
 *
 * Typed, pasted and keyboard-wedge scanner input all end in `onScan(text)`;
 * see scan/burst.ts for how a scan's end is recognised. The field clears at
 * once, so the next scan can start while this one is checked.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DIALOG_CLOSED_EVENT, isDialogOpen, isTextField } from '../focus';
import { ScanBurst, changeKindOf } from '../scan/burst';
import { keyboardScan, onExternalScan } from '../scanners/store';

export interface ScanInputProps {
  /** The Redeem screen is showing. */
  active: boolean;
  /** Take the focus back when it wanders (false while another field needs it, such as unlock). */
  keepFocus: boolean;
  /** Scans are being checked. */
  busy: boolean;
  onScan(text: string): void;
}

export function ScanInput({ active, keepFocus, busy, onScan }: ScanInputProps) {
  const { t } = useTranslation('redeem');
  const ref = useRef<HTMLInputElement>(null);
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  });
  const [burst] = useState(
    () =>
      new ScanBurst((text) => {
        if (ref.current) ref.current.value = '';
        // A wedge scanner's programmed prefix/suffix (scanner settings) is removed here too.
        const clean = keyboardScan(text);
        if (clean) onScanRef.current(clean);
      }),
  );
  useEffect(() => () => burst.reset(), [burst]);
  // Scans from the serial reader, a keyboard burst on another screen or the camera run the same flow.
  useEffect(() => onExternalScan((text) => onScanRef.current(text)), []);

  const grabbing = active && keepFocus;

  useEffect(() => {
    if (!grabbing) return;
    const input = ref.current;
    const mayTake = () => !isDialogOpen() && !isTextField(document.activeElement);
    if (mayTake()) input?.focus();

    const onDialogClosed = () => {
      if (!isDialogOpen() && !isTextField(document.activeElement)) {
        input?.focus();
      }
    };
    const onWindowFocus = () => {
      if (mayTake()) input?.focus();
    };
    // A character typed (or scanned) while a button or menu has focus goes to the scan input.
    const onKeyDown = (e: KeyboardEvent) => {
      if (!input || document.activeElement === input) return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || e.key === ' ') return;
      if (mayTake()) input.focus();
    };
    window.addEventListener(DIALOG_CLOSED_EVENT, onDialogClosed);
    window.addEventListener('focus', onWindowFocus);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener(DIALOG_CLOSED_EVENT, onDialogClosed);
      window.removeEventListener('focus', onWindowFocus);
      window.removeEventListener('keydown', onKeyDown, true);
    };
  }, [grabbing]);

  return (
    <div className="scan">
      <label className="scan__label" htmlFor="scan-input">
        {t('scanLabel')}
      </label>
      <input
        ref={ref}
        id="scan-input"
        className="scan__input"
        data-testid="scan-input"
        type="text"
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        enterKeyHint="go"
        aria-describedby="scan-hint"
        aria-busy={busy}
        onInput={(e) => {
          const ne = e.nativeEvent as InputEvent;
          burst.change(e.currentTarget.value, e.timeStamp, changeKindOf(ne.inputType, ne.isComposing));
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'Enter' || e.key === 'Tab') {
            if (burst.end(e.currentTarget.value) || e.key === 'Enter') e.preventDefault();
          } else if (e.key === 'Escape') {
            e.currentTarget.value = '';
            burst.reset();
          }
        }}
        onBlur={(e) => {
          if (!grabbing || e.relatedTarget !== null) return;
          // Focus went nowhere (a click on the page): take it back.
          setTimeout(() => {
            if (!isDialogOpen() && !isTextField(document.activeElement)) ref.current?.focus();
          }, 0);
        }}
      />
      <p id="scan-hint" className="scan__hint" aria-live="polite">
        {busy ? t('checking') : t('scanHint')}
      </p>
    </div>
  );
}
