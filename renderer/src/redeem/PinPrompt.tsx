/**
 * Asks for the PIN the customer says. Enter redeems with it, Esc cancels.
 * The voucher text itself stays with the Redeem screen, never in this dialog.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import type { RedeemPrompt } from './flow';

export interface PinPromptProps {
  prompt: Extract<RedeemPrompt, { type: 'pin' }>;
  /** Resolves when the redemption with this PIN has its verdict (the prompt may then close). */
  onSubmit(pin: string): Promise<void>;
  onCancel(): void;
}

export function PinPrompt({ prompt, onSubmit, onCancel }: PinPromptProps) {
  const { t } = useTranslation('redeem');
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();

  // A wrong PIN keeps the prompt open: empty the field for the next try.
  useEffect(() => {
    if (input.current) {
      input.current.value = '';
      input.current.focus();
    }
  }, [prompt]);

  const wrongText = prompt.wrong
    ? prompt.triesLeft != null
      ? t('pin.wrong', { count: prompt.triesLeft })
      : t('pin.wrongNoCount')
    : null;

  async function submit() {
    const pin = input.current?.value ?? '';
    if (!pin) {
      input.current?.focus();
      return;
    }
    await run(() => onSubmit(pin));
    if (input.current) input.current.value = '';
  }

  return (
    <Dialog
      title={t('pin.title')}
      okLabel={t('pin.submit')}
      busy={busy}
      error={error ?? wrongText}
      onSubmit={() => void submit()}
      onCancel={onCancel}
      testId="pin-dialog"
    >
      <p className="dialog__hint">{t('pin.hint')}</p>
      <Field label={t('pin.label')}>
        <input
          ref={input}
          type="password"
          className="input input--pin"
          inputMode="numeric"
          autoComplete="off"
          maxLength={32}
          data-autofocus
          data-testid="pin-input"
          onInput={(e) => {
            // Digits only: a stray scan into this field must not become a PIN.
            const el = e.currentTarget;
            const digits = el.value.replace(/\D+/g, '');
            if (digits !== el.value) el.value = digits;
          }}
        />
      </Field>
    </Dialog>
  );
}
