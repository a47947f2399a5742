/**
 * A modal dialog (native <dialog>): Enter submits, Esc cancels, focus stays
 * inside while it is open and returns to the scan input when it closes.
 */
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DIALOG_CLOSED_EVENT } from '../focus';

export interface DialogProps {
  title: string;
  children?: ReactNode;
  onSubmit(): void;
  onCancel(): void;
  okLabel?: string;
  /** A call is running: the buttons wait, Esc is ignored. */
  busy?: boolean;
  /** Already translated. */
  error?: string | null;
  tone?: 'normal' | 'danger';
  testId?: string;
}

export function Dialog({ title, children, onSubmit, onCancel, okLabel, busy = false, error, tone = 'normal', testId }: DialogProps) {
  const { t } = useTranslation('app');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const cancelRef = useRef(onCancel);
  const busyRef = useRef(busy);
  useEffect(() => {
    cancelRef.current = onCancel;
    busyRef.current = busy;
  });

  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    const first = d.querySelector<HTMLElement>('[data-autofocus]');
    first?.focus();
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      if (!busyRef.current) cancelRef.current();
    };
    d.addEventListener('cancel', onCancelEvent);
    return () => {
      d.removeEventListener('cancel', onCancelEvent);
      // No d.close() here: React removes the element right after, and in Chromium
      // close() followed by removal in the same task leaves the page ignoring typed
      // keys until the next click. Removing an open modal dialog is enough.
      // Let the next render settle (another dialog may open), then hand focus back.
      setTimeout(() => window.dispatchEvent(new Event(DIALOG_CLOSED_EVENT)), 0);
    };
  }, []);

  return (
    <dialog ref={ref} className={`dialog dialog--${tone}`} aria-labelledby={titleId} data-testid={testId}>
      <form
        className="dialog__form"
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation(); // React bubbles through the component tree, not the DOM
          if (!busy) onSubmit();
        }}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
        {error ? (
          <p className="form-error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        ) : null}
        <div className="dialog__buttons">
          <button type="button" className="button" onClick={() => !busy && onCancel()} data-testid="dialog-cancel">
            {t('dialog.cancel')}
          </button>
          <button
            type="submit"
            className={`button ${tone === 'danger' ? 'button--danger' : 'button--primary'}`}
            disabled={busy}
            data-testid="dialog-ok"
          >
            {busy ? t('dialog.working') : (okLabel ?? t('dialog.ok'))}
          </button>
        </div>
      </form>
    </dialog>
  );
}
