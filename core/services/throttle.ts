// Attempt limits for login and registration, per client IP and per account,
// with rate-limiter-flexible. In memory for one node; the limits are per node
// until the Redis-backed limiter lands with REDIS_URL.

import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';

export interface ThrottleLimits {
  /** Login attempts per IP per window. */
  loginPerIp: number;
  /** Failed logins per account per window. */
  loginFailuresPerAccount: number;
  /** Registrations per IP per window. */
  registerPerIp: number;
  windowSeconds: number;
  /** Password reset requests per IP, and per address, per window. */
  resetPerIp?: number;
  resetPerAccount?: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  loginPerIp: 30,
  loginFailuresPerAccount: 10,
  registerPerIp: 10,
  windowSeconds: 15 * 60,
  resetPerIp: 10,
  resetPerAccount: 3,
};

export class AuthThrottle {
  private readonly loginIp: RateLimiterMemory;
  private readonly loginAccount: RateLimiterMemory;
  private readonly registerIp: RateLimiterMemory;
  private readonly resetIp: RateLimiterMemory;
  private readonly resetAccount: RateLimiterMemory;

  constructor(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS) {
    const make = (points: number, keyPrefix: string) => new RateLimiterMemory({ points, duration: limits.windowSeconds, keyPrefix });
    this.loginIp = make(limits.loginPerIp, 'login-ip');
    this.loginAccount = make(limits.loginFailuresPerAccount, 'login-account');
    this.registerIp = make(limits.registerPerIp, 'register-ip');
    this.resetIp = make(limits.resetPerIp ?? DEFAULT_THROTTLE_LIMITS.resetPerIp!, 'reset-ip');
    this.resetAccount = make(limits.resetPerAccount ?? DEFAULT_THROTTLE_LIMITS.resetPerAccount!, 'reset-account');
  }

  /** Counts a reset request; the per-address limit keeps anyone from flooding one inbox. */
  async beforePasswordReset(ip: string, email: string): Promise<void> {
    await consume(this.resetIp, ip);
    await consume(this.resetAccount, email);
  }

  /** Counts a login attempt from `ip` and refuses it if that IP or that account is over its limit. */
  async beforeLogin(ip: string, email: string): Promise<void> {
    await consume(this.loginIp, ip);
    const account = await this.loginAccount.get(email);
    if (account && account.remainingPoints <= 0) throw new RateLimitedError(retryAfter(account));
  }

  async loginFailed(email: string): Promise<void> {
    await this.loginAccount.penalty(email, 1);
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.loginAccount.delete(email);
  }

  async beforeRegister(ip: string): Promise<void> {
    await consume(this.registerIp, ip);
  }
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(retryAfter(rejection));
    throw rejection;
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
