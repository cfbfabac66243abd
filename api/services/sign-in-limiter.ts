/** How many failed sign-ins are allowed per window, per account and per client IP. */
export interface SignInLimits {
  perAccount: { failures: number; windowSeconds: number };
  perIp: { failures: number; windowSeconds: number };
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccount: { failures: 5, windowSeconds: 15 * 60 },
  perIp: { failures: 20, windowSeconds: 60 },
};

interface Window {
  failures: number;
  endsAt: number;
}

/** Above this many tracked keys, expired windows are swept so a flood of addresses cannot grow the maps forever. */
const SWEEP_ABOVE = 10_000;

/**
 * Counts failed sign-ins in memory, per e-mail (known or not, so the answer does not tell which
 * exist) and per client IP, in fixed windows. One process only: behind several API processes each
 * counts its own (the README says so).
 */
export class SignInLimiter {
  private readonly accounts = new Map<string, Window>();
  private readonly ips = new Map<string, Window>();

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the caller may try again, or null if it may try now. */
  retryAfter(email: string, ip: string): number | null {
    const waits = [
      this.wait(this.accounts, accountKey(email), this.limits.perAccount.failures),
      this.wait(this.ips, ip, this.limits.perIp.failures),
    ].filter((seconds): seconds is number => seconds !== null);
    return waits.length > 0 ? Math.max(...waits) : null;
  }

  recordFailure(email: string, ip: string): void {
    this.count(this.accounts, accountKey(email), this.limits.perAccount.windowSeconds);
    this.count(this.ips, ip, this.limits.perIp.windowSeconds);
  }

  /** A successful sign-in clears the account's failures (not the IP's: one good password does not vouch for the rest). */
  recordSuccess(email: string): void {
    this.accounts.delete(accountKey(email));
  }

  private wait(map: Map<string, Window>, key: string, limit: number): number | null {
    const window = map.get(key);
    if (!window) return null;
    const left = window.endsAt - this.now();
    if (left <= 0) {
      map.delete(key);
      return null;
    }
    return window.failures >= limit ? Math.ceil(left / 1000) : null;
  }

  private count(map: Map<string, Window>, key: string, windowSeconds: number): void {
    const now = this.now();
    if (map.size > SWEEP_ABOVE) {
      for (const [k, w] of map) if (w.endsAt <= now) map.delete(k);
    }
    const window = map.get(key);
    if (window && window.endsAt > now) window.failures += 1;
    else map.set(key, { failures: 1, endsAt: now + windowSeconds * 1000 });
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
