// What the product runs with in the bench: the embedded defaults, plus a cheap
// password policy and high throttle limits so setup (registrations) is fast.

import type { ServerTuning } from '../../../core/server.js';

export const BENCH_TUNING: ServerTuning = {
  passwords: { cost: 2 ** 10 },
  throttle: { loginPerIp: 1_000_000, loginFailuresPerAccount: 1_000_000, registerPerIp: 1_000_000, windowSeconds: 60 },
};
