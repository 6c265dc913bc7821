// Waiting on what a user would see: poll a read until it shows what is expected.

import { setTimeout as delay } from 'node:timers/promises';

/** Polls `read` until `check` holds, then returns the last value; fails with the last value after timeoutMs. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await delay(50);
    value = await read();
  }
  return value;
}
