// Slows password guessing from one place: each source (a remote address, or the desktop window)
// gets a bucket of attempts that refills steadily. The per-account lockout stops guessing one
// password; this stops trying many accounts, or flooding the audit trail, from one address.
import type { Clock } from '../gateway/clock.ts';

export interface RateLimit {
  /** attempts allowed at once */
  burst: number;
  /** attempts regained per minute */
  perMinute: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: RateLimit = { burst: 10, perMinute: 10 };

/** Sources remembered at most; the oldest are forgotten first. */
const MAX_SOURCES = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class LoginRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit = DEFAULT_LOGIN_RATE_LIMIT,
  ) {}

  /** Takes one attempt for `source`; returns 0 when allowed, else the seconds to wait. */
  take(source: string): number {
    const now = this.clock.now().getTime();
    const refillPerMs = this.limit.perMinute / 60_000;
    const bucket = this.buckets.get(source) ?? { tokens: this.limit.burst, updatedAt: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    this.buckets.delete(source); // re-inserted last: Map order is the eviction order
    this.buckets.set(source, bucket);
    if (this.buckets.size > MAX_SOURCES) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
  }
}
