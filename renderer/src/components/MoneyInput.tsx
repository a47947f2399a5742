/**
 * A money field for the owner's screens: typed in yuan (the currency's major
 * unit) in the locale's format, with the currency's symbol beside it, and
 * handed on as integer minor units (fen), the way the core stores money.
 * Inside a Field it takes the Field's id and aria attributes.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currencyDigits, currencySymbol, formatMoney, minorToDecimal, parseAmount, separatorsOf, type AmountProblem } from '../money';

export interface MoneyInputProps {
  /** Minor units; null or undefined when nothing is set. */
  value: number | null | undefined;
  cur: string | null | undefined;
  /** The amount in minor units, null when the field is emptied; not called while what is typed is no amount. */
  onChange(minor: number | null): void;
  /** May it be left empty (null)? Else an empty field is a problem. */
  optional?: boolean;
  testId?: string;
  id?: string;
  'aria-labelledby'?: string;
  'aria-describedby'?: string;
}

export function MoneyInput({ value, cur, onChange, optional = false, testId, ...aria }: MoneyInputProps) {
  const { t, i18n } = useTranslation('app');
  const locale = i18n.language;
  const digits = currencyDigits(cur);
  const shown = (minor: number | null | undefined) => (minor == null ? '' : minorToDecimal(minor, digits));
  const [typed, setTyped] = useState(() => shown(value));
  const [problem, setProblem] = useState<AmountProblem | null>(null);

  // A value set from outside (loaded, saved) replaces what is shown, unless it is what was typed.
  useEffect(() => {
    setTyped((now) => {
      const parsed = parseAmount(now, digits, separatorsOf(locale));
      const current = parsed.ok ? parsed.minor : null;
      return current === (value ?? null) ? now : shown(value);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shown` only depends on digits
  }, [value, digits, locale]);

  function change(text: string) {
    setTyped(text);
    const parsed = parseAmount(text, digits, separatorsOf(locale));
    if (parsed.ok) {
      setProblem(null);
      onChange(parsed.minor);
    } else if (parsed.problem === 'empty' && optional) {
      setProblem(null);
      onChange(null);
    } else {
      setProblem(parsed.problem);
    }
  }

  const example = formatMoney(1250, cur, locale);
  const problemText =
    problem === null
      ? null
      : problem === 'tooManyDecimals'
        ? t('money.tooManyDecimals', { count: digits, example })
        : problem === 'zero' || problem === 'tooLarge'
          ? t(`money.${problem}`)
          : t('money.notNumber', { example });
  return (
    <>
      <span className="money-field money-field--form">
        {cur ? (
          <span className="money-field__symbol" aria-hidden="true">
            {currencySymbol(cur, locale)}
          </span>
        ) : null}
        <input
          {...aria}
          type="text"
          className="input"
          inputMode="decimal"
          autoComplete="off"
          value={typed}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => change(e.target.value)}
          onBlur={() => {
            if (!problem) setTyped(shown(value));
          }}
          data-testid={testId}
        />
      </span>
      {problemText ? (
        <span className="form-error" role="alert" data-testid={testId ? `${testId}-problem` : undefined}>
          {problemText}
        </span>
      ) : null}
    </>
  );
}
