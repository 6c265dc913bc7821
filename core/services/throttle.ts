// Attempt limits for login, registration and password reset, per client IP and
// per account, with rate-limiter-flexible. The counters come from the Limiters
// port: in memory for one node, in Redis (shared by every node) with REDIS_URL.

import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';
import { createMemoryLimiters } from '../limits/memory.js';
import type { Limiters } from '../limits/ports.js';
import { consumeOrRefuse, retryAfterSeconds } from '../limits/refuse.js';

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
  private readonly loginIp: RateLimiterAbstract;
  private readonly loginAccount: RateLimiterAbstract;
  private readonly registerIp: RateLimiterAbstract;
  private readonly resetIp: RateLimiterAbstract;
  private readonly resetAccount: RateLimiterAbstract;

  constructor(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS, limiters: Limiters = createMemoryLimiters()) {
    const make = (points: number, keyPrefix: string) => limiters.create({ points, durationSeconds: limits.windowSeconds, keyPrefix });
    this.loginIp = make(limits.loginPerIp, 'login-ip');
    this.loginAccount = make(limits.loginFailuresPerAccount, 'login-account');
    this.registerIp = make(limits.registerPerIp, 'register-ip');
    this.resetIp = make(limits.resetPerIp ?? DEFAULT_THROTTLE_LIMITS.resetPerIp!, 'reset-ip');
    this.resetAccount = make(limits.resetPerAccount ?? DEFAULT_THROTTLE_LIMITS.resetPerAccount!, 'reset-account');
  }

  /** Counts a reset request; the per-address limit keeps anyone from flooding one inbox. */
  async beforePasswordReset(ip: string, email: string): Promise<void> {
    await consumeOrRefuse(this.resetIp, ip);
    await consumeOrRefuse(this.resetAccount, email);
  }

  /** Counts a login attempt from `ip` and refuses it if that IP or that account is over its limit. */
  async beforeLogin(ip: string, email: string): Promise<void> {
    await consumeOrRefuse(this.loginIp, ip);
    const account = await this.loginAccount.get(email);
    if (account && account.remainingPoints <= 0) throw new RateLimitedError(retryAfterSeconds(account));
  }

  async loginFailed(email: string): Promise<void> {
    await this.loginAccount.penalty(email, 1);
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.loginAccount.delete(email);
  }

  async beforeRegister(ip: string): Promise<void> {
    await consumeOrRefuse(this.registerIp, ip);
  }
}
