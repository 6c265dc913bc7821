// This node's part of presence: counts each user's sockets here, records their
// input, and reports to the shared PresenceStore on every change and on a
// heartbeat (so reports of a node that died go stale).

import type { Bus } from '../bus/ports.js';
import type { PresenceReport, PresenceState, PresenceTimings } from '../domain/presence.js';
import { presenceState } from '../domain/presence.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from '../presence/ports.js';

export interface PresenceTrackerOptions {
  nodeId: string;
  store: PresenceStore;
  bus: Bus;
  timings: PresenceTimings;
  heartbeatMs: number;
  logger: Pick<Logger, 'warn'>;
}

export class PresenceTracker {
  private readonly local = new Map<string, PresenceReport>();
  private readonly options: PresenceTrackerOptions;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(options: PresenceTrackerOptions) {
    this.options = options;
    this.heartbeat = setInterval(() => void this.reportAll(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  connect(userId: string): void {
    const now = Date.now();
    const current = this.local.get(userId);
    this.local.set(userId, { connections: (current?.connections ?? 0) + 1, lastActivityAt: current?.connections ? current.lastActivityAt : now, disconnectedAt: null });
    // Another tab of someone connected here changes no state (presence only asks whether any socket is
    // connected): the heartbeat carries the new count, and a reconnect storm of one user's sockets is not
    // thousands of presence reports and recomputations.
    if (!current?.connections) void this.changed(userId);
  }

  disconnect(userId: string): void {
    const current = this.local.get(userId);
    if (!current) return;
    const connections = Math.max(0, current.connections - 1);
    this.local.set(userId, { ...current, connections, disconnectedAt: connections === 0 ? Date.now() : null });
    if (connections === 0) void this.changed(userId);
  }

  /** User input on some tab. Only a return from idle or inactive is announced at once; the rest rides the heartbeat. */
  activity(userId: string): void {
    const current = this.local.get(userId);
    if (!current || current.connections === 0) return;
    const now = Date.now();
    const wasQuiet = now - current.lastActivityAt >= this.options.timings.idleAfterMs;
    this.local.set(userId, { ...current, lastActivityAt: now });
    if (wasQuiet) void this.changed(userId);
  }

  async states(userIds: readonly string[]): Promise<Map<string, PresenceState>> {
    const now = Date.now();
    let reports: Map<string, PresenceReport[]>;
    try {
      reports = await this.options.store.read(userIds);
    } catch {
      // The shared store is out of reach: fall back to what this node knows rather than calling everyone offline.
      reports = new Map(userIds.map((id) => [id, this.local.has(id) ? [this.local.get(id)!] : []]));
    }
    return new Map(userIds.map((id) => [id, presenceState(reports.get(id) ?? [], now, this.options.timings)]));
  }

  close(): void {
    clearInterval(this.heartbeat);
  }

  private async changed(userId: string): Promise<void> {
    await this.report(userId);
    await this.options.bus.publishControl({ type: 'presence.changed', userId });
  }

  private async report(userId: string): Promise<void> {
    const report = this.local.get(userId);
    if (!report) return;
    try {
      await this.options.store.report(this.options.nodeId, userId, report);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'presence report failed');
    }
    // Forget users gone long enough to be offline everywhere, after their last report says so.
    if (report.connections === 0 && report.disconnectedAt !== null && Date.now() - report.disconnectedAt > this.options.timings.offlineAfterMs * 2) {
      this.local.delete(userId);
    }
  }

  private async reportAll(): Promise<void> {
    await Promise.all([...this.local.keys()].map((userId) => this.report(userId)));
  }
}
