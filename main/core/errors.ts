import type { CallError, ErrorCode } from '../../preload/contract';

/**
 * An error a user can cause (a wrong passphrase, a broken file, a missing
 * admin login). `code` is one of the contract's ERROR_CODES, the i18n key the
 * screens translate; `message` is English for the CLI and logs. It never
 * carries secrets or voucher text.
 */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'UserError';
  }

  toCallError(): CallError {
    return Object.keys(this.params).length
      ? { code: this.code, message: this.message, params: this.params }
      : { code: this.code, message: this.message };
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
