import { randomBytes } from 'node:crypto';
import { UserError } from './errors';

/** Admin logins: a passphrase check gives a short-lived token for admin calls. */
export class AdminSessions {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(): { token: string; expiresAt: number } {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.clock() + this.ttlMs;
    this.tokens.set(token, expiresAt);
    return { token, expiresAt };
  }

  require(token: string | undefined): void {
    const exp = token ? this.tokens.get(token) : undefined;
    if (!exp || exp <= this.clock()) {
      if (token) this.tokens.delete(token);
      throw new UserError('admin.required', 'This needs the admin passphrase.');
    }
  }
}
