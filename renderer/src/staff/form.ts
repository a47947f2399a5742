/** Checks of the Staff screen's forms before any call (pure): a name, and a PIN typed twice alike. */
import { isPin } from './code';

export type FormProblem = 'nameMissing' | 'pinShape' | 'pinMismatch';

export function checkName(name: string): FormProblem | null {
  return name.trim() ? null : 'nameMissing';
}

export function checkPin(pin: string, again: string): FormProblem | null {
  if (!isPin(pin)) return 'pinShape';
  return pin === again ? null : 'pinMismatch';
}

/** A line of an audit entry's detail: `key: value` pairs, in the order recorded. */
export function detailText(detail: Record<string, string | number | boolean | null>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}
