// This node's registry of feed subscriptions: wakes them on bus changes and on
// a periodic catch-up tick (the bus may lose a message; the feed cannot), and
// emits presence transitions to the subscribers of each project.

import type { Bus } from '../bus/ports.js';
import type { Change } from '../domain/entities.js';
import type { PresenceState } from '../domain/presence.js';
import type { Logger } from '../logger.js';
import type { ServiceDeps } from '../services/deps.js';
import { allMembers } from '../services/roster.js';
import type { RoomVisibility } from '../services/visibility.js';
import type { ChangeEncoder, Encoded, View } from './encoding.js';
import type { PresenceTracker } from './presence-tracker.js';
import type { ProjectSubscription } from './subscription.js';

export interface Subscriber {
  subscription: ProjectSubscription;
  /** Writes an event encoded once for many sockets to this subscriber's socket. */
  send(encoded: Encoded): void;
  emitPresence(payload: { projectId: string; userId: string; state: PresenceState }): void;
}

export interface HubTimings {
  /** How often every subscribed project's feed is checked for changes the bus did not bring. */
  catchUpMs: number;
  /** How often presence states are recomputed for time-based transitions (active → idle → inactive). */
  presenceSweepMs: number;
}

export class Hub {
  private readonly byProject = new Map<string, Set<Subscriber>>();
  private readonly members = new Map<string, Promise<string[]>>();
  private readonly shownStates = new Map<string, Map<string, PresenceState>>();
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribe: (() => void)[];
  private readonly deps: ServiceDeps;
  private readonly tracker: PresenceTracker;
  private readonly logger: Logger;
  private readonly encoder: ChangeEncoder;

  constructor(deps: ServiceDeps, bus: Bus, tracker: PresenceTracker, timings: HubTimings, encoder: ChangeEncoder) {
    this.deps = deps;
    this.encoder = encoder;
    this.tracker = tracker;
    this.logger = deps.logger;
    this.unsubscribe = [
      bus.subscribe((change) => this.onChange(change)),
      bus.subscribeControl((event) => {
        if (event.type === 'presence.changed') void this.refreshPresence([event.userId]);
      }),
    ];
    this.timers = [setInterval(() => void this.catchUp(), timings.catchUpMs), setInterval(() => void this.refreshPresence(), timings.presenceSweepMs)];
    this.timers.forEach((t) => t.unref());
  }

  add(subscriber: Subscriber): void {
    const projectId = subscriber.subscription.projectId;
    let set = this.byProject.get(projectId);
    if (!set) this.byProject.set(projectId, (set = new Set()));
    if (set.has(subscriber)) return;
    set.add(subscriber);
    this.deps.metrics?.subscriptionOpened();
  }

  remove(subscriber: Subscriber): void {
    const projectId = subscriber.subscription.projectId;
    const set = this.byProject.get(projectId);
    if (set?.delete(subscriber)) this.deps.metrics?.subscriptionClosed();
    if (set?.size === 0) {
      this.byProject.delete(projectId);
      this.members.delete(projectId);
      this.shownStates.delete(projectId);
    }
  }

  /** The current presence of a project's members, for a new subscriber. */
  async presenceOf(projectId: string): Promise<Map<string, PresenceState>> {
    return this.tracker.states(await this.memberIds(projectId));
  }

  close(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.unsubscribe.forEach((stop) => stop());
  }

  private onChange(change: Change): void {
    if (change.type.startsWith('member.')) this.members.delete(change.projectId);
    // Caught-up subscribers with the same view share one encoding of the change (what a room broadcast does,
    // without building a room of socket ids per change); the others catch up on their own chain.
    // Subscriptions of the same person share one visibility (feed-access.ts): decide each one's view once.
    let lastVisible: RoomVisibility | null = null;
    let lastView: View = 'full';
    const viewOf = (visible: RoomVisibility): View => {
      if (visible !== lastVisible) {
        lastVisible = visible;
        lastView = visible.canSeeChange(change) ? 'full' : 'redacted';
      }
      return lastView;
    };
    let full: Encoded | null = null;
    let redacted: Encoded | null = null;
    let sent = false;
    for (const subscriber of this.byProject.get(change.projectId) ?? []) {
      const view = subscriber.subscription.takeInSync(change, viewOf);
      if (view === null) subscriber.subscription.wake(change);
      else {
        subscriber.send(view === 'full' ? (full ??= this.encoder.change(change, 'full')) : (redacted ??= this.encoder.change(change, 'redacted')));
        sent = true;
      }
    }
    // One observation per change sent in one go; subscribers on their own catch-up chain report theirs (server.ts).
    if (sent) this.deps.metrics?.changeEmitted(change.at);
  }

  private async catchUp(): Promise<void> {
    for (const [projectId, subscribers] of this.byProject) {
      try {
        const latest = await this.deps.store.changes.lastSeq(projectId);
        for (const subscriber of subscribers) subscriber.subscription.wake(undefined, latest);
      } catch (error) {
        this.logger.warn({ err: error, projectId }, 'feed catch-up failed; retrying on the next tick');
      }
    }
  }

  private memberIds(projectId: string): Promise<string[]> {
    let ids = this.members.get(projectId);
    if (!ids) {
      ids = allMembers(this.deps, projectId).then((members) => members.map((m) => m.userId));
      ids.catch(() => this.members.delete(projectId));
      this.members.set(projectId, ids);
    }
    return ids;
  }

  /** Recomputes presence (of `only` these users, or of everyone watched) and emits what changed. */
  private async refreshPresence(only?: string[]): Promise<void> {
    try {
      const projects = [...this.byProject.keys()];
      const memberLists = await Promise.all(projects.map((p) => this.memberIds(p)));
      const wanted = new Set(memberLists.flat().filter((id) => !only || only.includes(id)));
      if (wanted.size === 0) return;
      const states = await this.tracker.states([...wanted]);
      projects.forEach((projectId, i) => {
        let shown = this.shownStates.get(projectId);
        if (!shown) this.shownStates.set(projectId, (shown = new Map()));
        for (const userId of memberLists[i]!) {
          const state = states.get(userId);
          if (!state || shown.get(userId) === state) continue;
          const first = !shown.has(userId);
          shown.set(userId, state);
          // The first computation only sets the baseline: subscribers get current states from GET .../presence.
          if (first && state === 'offline') continue;
          for (const subscriber of this.byProject.get(projectId) ?? []) subscriber.emitPresence({ projectId, userId, state });
        }
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'presence refresh failed');
    }
  }
}
