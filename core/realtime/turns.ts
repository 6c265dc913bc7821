// A budget of socket writes per event-loop turn for replays. Thousands of
// subscriptions waiting on one shared feed page (a reconnect storm) all resume
// in the same microtask run when it arrives; without a budget they would write
// every replay in one turn and the loop would not accept a connection or read
// a handshake for seconds (the listen queue overflows, clients wait for SYN
// retransmits). With it, each turn writes about `perTurn` changes, then lets
// the loop poll for I/O before the next subscriptions go on.

export class TurnBudget {
  private readonly perTurn: number;
  private used = 0;
  private armed = false;
  private waiting: { cost: number; resolve: () => void }[] = [];
  private head = 0;

  constructor(perTurn: number) {
    this.perTurn = perTurn;
  }

  /** null when `cost` fits in this turn (and is counted), else a promise that resolves in a later turn. */
  take(cost: number): Promise<void> | null {
    this.arm();
    if (this.head === this.waiting.length && this.used < this.perTurn) {
      this.used += cost;
      return null;
    }
    return new Promise((resolve) => this.waiting.push({ cost, resolve }));
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => this.nextTurn());
  }

  private nextTurn(): void {
    this.armed = false;
    this.used = 0;
    while (this.head < this.waiting.length && this.used < this.perTurn) {
      const next = this.waiting[this.head++]!;
      this.used += next.cost;
      next.resolve();
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    }
    // Counted work this turn: the next turn starts a fresh budget (and serves whoever still waits).
    if (this.used > 0) this.arm();
  }
}
