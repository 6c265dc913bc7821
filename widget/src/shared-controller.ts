// A Lit ReactiveController shared by every element of a key on the page: it
// runs while any element it is attached to is in the document, and stops (and
// is forgotten) a grace period after the last one left, so moving an element in
// the DOM keeps its connection.

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Host = ReactiveControllerHost & HTMLElement;

/** An unused controller stops after this grace. */
const RELEASE_AFTER_MS = 2000;

export abstract class SharedController implements ReactiveController {
  protected readonly hosts = new Set<Host>();
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly forget: () => void) {}

  protected abstract start(): void;
  protected abstract stop(): void;

  attach(host: Host): void {
    if (this.hosts.has(host)) return;
    this.hosts.add(host);
    host.addController(this);
  }

  /** Call from disconnectedCallback, or when the element switches to another key. */
  detach(host: Host): void {
    if (!this.hosts.delete(host)) return;
    host.removeController(this);
    this.release();
  }

  hostConnected(): void {
    clearTimeout(this.releaseTimer);
    this.start();
  }

  hostDisconnected(): void {
    this.release();
  }

  private release(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      for (const host of this.hosts) if (host.isConnected) return;
      this.stop();
      if (this.hosts.size === 0) this.forget();
    }, RELEASE_AFTER_MS);
  }
}

/** Tasks this page is writing right now: their echoes are not "someone else's" change. */
export class LocalWrites {
  private readonly counts = new Map<string, number>();

  async run<T>(taskId: string, work: () => Promise<T>): Promise<T> {
    this.counts.set(taskId, (this.counts.get(taskId) ?? 0) + 1);
    try {
      return await work();
    } finally {
      // The change's echo comes shortly after the answer.
      setTimeout(() => {
        const left = (this.counts.get(taskId) ?? 1) - 1;
        if (left <= 0) this.counts.delete(taskId);
        else this.counts.set(taskId, left);
      }, 800);
    }
  }

  has(taskId: string): boolean {
    return this.counts.has(taskId);
  }
}
