/**
 * Asks for the purchase amount of a stored-value voucher. Shows the balance,
 * and as the cashier types, what the balance covers and what the customer
 * still pays. Enter redeems, Esc cancels. Amounts are parsed into integer
 * minor units by string work (money.ts), never through floats.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog';
import { errorText } from '../i18n';
import { currencyDigits, currencySymbol, formatMoney, parseAmount, separatorsOf, type AmountProblem } from '../money';
import type { RedeemPrompt } from './flow';

export interface AmountPromptProps {
  prompt: Extract<RedeemPrompt, { type: 'amount' }>;
  /** Resolves when the redemption has its verdict; rejects with an error the dialog shows (it stays open). */
  onSubmit(amount: number): Promise<void>;
  onCancel(): void;
}

export function AmountPrompt({ prompt, onSubmit, onCancel }: AmountPromptProps) {
  const { t, i18n } = useTranslation('redeem');
  const locale = i18n.language;
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { result, balance, face, cur } = prompt;
  const digits = currencyDigits(cur);
  const money = (minor: number) => formatMoney(minor, cur, locale);
  const parsed = parseAmount(typed, digits, separatorsOf(locale));
  const usesLeft = result.remaining?.usesLeft ?? null;
  const v = result.voucher;
  const product = v?.product ?? v?.sku ?? null;

  function problemText(p: AmountProblem): string {
    if (p === 'tooManyDecimals') return t('amount.tooManyDecimals', { count: digits, example: money(1250) });
    if (p === 'zero') return t('amount.zero');
    if (p === 'tooLarge') return t('amount.tooLarge');
    return t('amount.notNumber', { example: money(1250) });
  }

  async function submit() {
    if (!parsed.ok) {
      setError(problemText(parsed.problem));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(parsed.minor);
    } catch (e) {
      setError(errorText(t, e));
      setBusy(false);
      input.current?.focus();
    }
  }

  const preview = parsed.ok ? (
    parsed.minor <= balance ? (
      <p className="prompt__preview" data-testid="amount-preview">
        {t('amount.previewCovered', { amount: money(parsed.minor), after: money(balance - parsed.minor) })}
      </p>
    ) : (
      <p className="prompt__preview prompt__preview--due" data-testid="amount-preview">
        {t('amount.previewDue', { balance: money(balance), due: money(parsed.minor - balance) })}
      </p>
    )
  ) : null;

  return (
    <Dialog
      title={t('amount.title')}
      okLabel={t('amount.submit')}
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={onCancel}
      testId="amount-dialog"
    >
      {product ? <p className="prompt__note">{product}</p> : null}
      <p className="prompt__left" data-testid="amount-balance">
        {t('amount.balance', { balance: money(balance), face: money(face) })}
      </p>
      {usesLeft !== null ? <p className="prompt__note">{t('verdictPanel.usesLeft', { count: usesLeft })}</p> : null}
      <label className="field">
        <span className="field__label">{t('amount.label')}</span>
        <div className="money-field">
          {cur ? (
            <span className="money-field__symbol" aria-hidden="true">
              {currencySymbol(cur, locale)}
            </span>
          ) : null}
          <input
            ref={input}
            type="text"
            className="input input--big"
            inputMode="decimal"
            autoComplete="off"
            maxLength={24}
            placeholder={minorPlaceholder(digits)}
            value={typed}
            data-autofocus
            data-testid="amount-input"
            onChange={(e) => {
              setTyped(e.currentTarget.value);
              setError(null);
            }}
          />
        </div>
      </label>
      {preview}
      <p className="dialog__hint">{t('amount.hint')}</p>
    </Dialog>
  );
}

function minorPlaceholder(digits: number): string {
  return digits > 0 ? `0.${'0'.repeat(digits)}` : '0';
}
