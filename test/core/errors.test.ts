import { describe, expect, it } from 'vitest';
import { ERROR_CODES, UNTRANSLATED_ERROR_CODES, isErrorCode, type ErrorCode } from '../../preload/contract';
import { UserError } from '../../main/core/errors';

describe('error codes', () => {
  it('are listed once each in the contract', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of UNTRANSLATED_ERROR_CODES) expect(ERROR_CODES).toContain(code);
  });

  it('UserError takes only a listed code: a typo fails the type check', () => {
    const e = new UserError('keys.wrongPassphrase', 'Wrong bundle passphrase.');
    expect(e.toCallError()).toEqual({ code: 'keys.wrongPassphrase', message: 'Wrong bundle passphrase.' });
    // @ts-expect-error 'keys.wrongPasphrase' is not an ErrorCode (tsc -b checks this line).
    expect(new UserError('keys.wrongPasphrase', 'x').code).toBe('keys.wrongPasphrase');
    const fromTheList: ErrorCode = 'sync.err.busy';
    expect(isErrorCode(fromTheList)).toBe(true);
  });

  it('isErrorCode tells a listed code from any other value', () => {
    expect(isErrorCode('sync.err.unreachable')).toBe(true);
    expect(isErrorCode('sync.err.somethingNew')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
