// Promises that resolve when something a protocol double records shows up:
// every recording calls wake(), and each waiter checks its predicate again.

interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

export class Waiters {
  private readonly waiting = new Set<Waiter>();

  /** Something was recorded: every waiter looks again. */
  wake(): void {
    for (const waiter of this.waiting) waiter.check();
  }

  /** Resolves with the first value `find` returns (now or after a later wake), or rejects after timeoutMs. */
  waitFor<T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = find();
          if (found === undefined) return false;
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve(found);
          return true;
        },
        fail: (err) => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          reject(err);
        },
      };
      const timer = setTimeout(() => waiter.fail(new Error(`${describe()} within ${timeoutMs} ms`)), timeoutMs);
      if (!waiter.check()) this.waiting.add(waiter);
    });
  }

  /** Rejects every waiter still waiting (the double stopped). */
  failAll(err: Error): void {
    // fail() removes the waiter; a Set iterator copes with the entry it stands on being deleted.
    for (const waiter of this.waiting) waiter.fail(err);
  }
}
