// Plugins' change hooks, on the queue: one ordered sender per (plugin, project)
// over the project's feed (core/services/feed-sender.ts), so each plugin hears
// the changes it subscribed to at least once, in feed order, from a durable
// cursor that survives restarts. A hook that throws or overruns its time limit
// stops its sender where it is (later changes wait behind it), is logged and
// counted; after FAILING_AFTER failures in a row the plugin shows `failing` in
// that project, and one success clears it. API writes never wait for any of
// this: the bus handler only notes which senders to wake and returns.

import { matchesEvents } from '../../core/domain/change-types.js';
import type { Change, LinkCursor, PluginState } from '../../core/domain/entities.js';
import type { LoadedPlugin } from '../../core/plugins/manifest.js';
import type { PluginRegistry } from '../../core/plugins/registry.js';
import { pluginBot, pluginContext, withinTime } from '../../core/plugins/context.js';
import { commit, type ServiceDeps } from '../../core/services/deps.js';
import { drainFeed } from '../../core/services/feed-sender.js';
import { pluginCursorId, pluginStateId } from '../../core/services/plugins.js';
import { roomVisibility } from '../../core/services/visibility.js';
import { StoreConflictError } from '../../core/store/errors.js';
import type { JobHandler, Queue } from '../queue.js';
import { isNudge, mayWake, NUDGE, type SenderRetry } from '../nudge.js';

export const PLUGIN_JOB = { flush: 'plugin.flush', reconcile: 'plugin.reconcile' } as const;

/** Failures in a row after which a plugin shows `failing` in a project. */
export const FAILING_AFTER = 3;
/** The first retry within 10 s, then doubling up to 15 minutes apart. */
const FLUSH_RETRY = { attempts: 500, backoff: { delayMs: 5_000, maxDelayMs: 900_000 } };
const RECONCILE_EVERY_MS = 60_000;
const MAX_ERROR_LENGTH = 500;

export interface PluginHookJobs {
  handlers: Readonly<Record<string, JobHandler>>;
  kick(plugin: string, projectId: string): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export function createPluginHookJobs(options: {
  deps: ServiceDeps;
  registry: PluginRegistry;
  queue: Queue;
  retry?: SenderRetry;
  reconcileEveryMs?: number;
}): PluginHookJobs {
  const { deps, registry, queue } = options;
  const retry = options.retry ?? FLUSH_RETRY;
  const reconcileEvery = options.reconcileEveryMs ?? RECONCILE_EVERY_MS;
  const unsubscribe: (() => void)[] = [];
  /** Senders to wake, by `${plugin}|${projectId}`, with the newest seq seen; queued on the next turn of the loop. */
  const pending = new Map<string, { plugin: string; projectId: string; wake: string }>();
  let scheduled = false;

  /** Whether the sender may be woken now (jobs/nudge.ts); `cursor` when the caller has read it already. */
  const mayWakeSender = async (state: PluginState, cursor?: LinkCursor | null): Promise<boolean> =>
    state.failures === 0 || mayWake(deps, pluginCursorId(state.name, state.projectId), retry.backoff, cursor);

  /** `nudge`: woken by a change or the reconciler, not kicked by a person (jobs/nudge.ts). */
  async function queueFlush(plugin: string, projectId: string, wake: string, nudge = false): Promise<void> {
    await queue
      .add(PLUGIN_JOB.flush, { plugin, projectId, ...(nudge ? NUDGE : {}) }, { id: `plugin.flush.${plugin}.${projectId}.${wake}`, ...retry })
      .catch((error: unknown) => deps.logger.warn({ err: error, plugin, projectId }, 'queueing a plugin hook failed; the reconciler will'));
  }

  function wakeLater(plugin: string, projectId: string, wake: string): void {
    pending.set(`${plugin}|${projectId}`, { plugin, projectId, wake });
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = [...pending.values()];
      pending.clear();
      void (async () => {
        for (const target of batch) {
          const state = await deps.store.pluginStates.get(pluginStateId(target.plugin, target.projectId)).catch(() => null);
          // A failing plugin waits out its retry's backoff; new changes queue up behind the one that fails.
          if (state?.enabled && (await mayWakeSender(state))) await queueFlush(target.plugin, target.projectId, target.wake, true);
        }
      })().catch((error: unknown) => deps.logger.warn({ err: error }, 'waking plugin hooks failed; the reconciler will'));
    });
  }

  async function saveState(plugin: string, projectId: string, change: (state: PluginState) => Partial<PluginState> | null): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const state = await deps.store.pluginStates.get(pluginStateId(plugin, projectId));
      const patch = state ? change(state) : null;
      if (!state || !patch) return;
      try {
        await commit(deps, { projectId: null }, (uow) => uow.replace('pluginStates', { ...state, ...patch, updatedAt: deps.now().toISOString() }, { updatedAt: state.updatedAt }));
        return;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
  }

  async function recordFailure(plugin: LoadedPlugin, projectId: string, change: Change, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    const lastError = `${change.type} #${change.seq}: ${message}`;
    deps.logger.warn({ err: error, plugin: plugin.name, projectId, seq: change.seq }, 'a plugin hook failed; it will be retried');
    await saveState(plugin.name, projectId, (state) => {
      const failures = state.failures + 1;
      return { failures, lastError, failingSince: state.failingSince ?? (failures >= FAILING_AFTER ? deps.now().toISOString() : null) };
    });
  }

  async function flush(pluginName: string, projectId: string): Promise<void> {
    const plugin = registry.get(pluginName);
    const onChange = plugin?.onChange;
    if (!plugin || !onChange) return;
    let state = await deps.store.pluginStates.get(pluginStateId(plugin.name, projectId));
    if (!state?.enabled) return;
    const settings = state.settings;
    const bot = await pluginBot(deps, plugin.name);
    // What the bot may see is read once per run: a private room's messages stay out of plugins that are not in it.
    const visibility = await roomVisibility(deps, { userId: bot.id, role: 'member' }, projectId);
    const result = await drainFeed(deps, {
      cursorId: pluginCursorId(plugin.name, projectId),
      projectId,
      // Just past the hook's time limit: a sender that died mid-run (a crash, a SIGKILL) holds the plugin back no longer.
      lockMs: plugin.timeoutMs + 5_000,
      apply: async (change) => {
        // A plugin never hears its own writes, so a hook that posts on message.created cannot feed itself.
        if (!matchesEvents(plugin.events, change.type) || change.actorId === bot.id || !visibility.canSeeChange(change)) return;
        const ctx = await pluginContext({ deps, plugin, projectId, settings, deliveryKey: `${plugin.name}|${projectId}|${change.seq}` });
        const view = { seq: change.seq, type: change.type, at: change.at, actorId: change.actorId, projectId, data: structuredClone(change.data) };
        try {
          await withinTime(onChange(view, ctx), plugin.timeoutMs, plugin.name, `onChange(${change.type})`);
        } catch (error) {
          await recordFailure(plugin, projectId, change, error);
          throw error;
        }
        if (state && state.failures > 0) {
          await saveState(plugin.name, projectId, () => ({ failures: 0, lastError: null, failingSince: null }));
          state = { ...state, failures: 0 };
          deps.logger.info({ plugin: plugin.name, projectId }, 'a plugin hook succeeded again');
        }
      },
    });
    // Another sender holds the cursor with changes left: if it died, its lock runs out then, and this takes over.
    if (result.busyUntil) {
      const runAt = Date.parse(result.busyUntil) + 500;
      await queue.add(PLUGIN_JOB.flush, { plugin: plugin.name, projectId, ...NUDGE }, { id: `plugin.flush.${plugin.name}.${projectId}.after.${runAt}`, runAt, ...retry });
    }
  }

  return {
    handlers: {
      [PLUGIN_JOB.flush]: async (job) => {
        const [plugin, projectId] = [job.data.plugin as string, job.data.projectId as string];
        if (isNudge(job)) {
          const state = await deps.store.pluginStates.get(pluginStateId(plugin, projectId));
          if (state && !(await mayWakeSender(state))) return;
        }
        await flush(plugin, projectId);
      },
      [PLUGIN_JOB.reconcile]: async (job) => {
        let cursor: string | null = null;
        do {
          const page = await deps.store.pluginStates.list({ limit: 200, cursor });
          for (const state of page.items) {
            if (!state.enabled || !registry.get(state.name)?.onChange) continue;
            const [done, lastSeq] = await Promise.all([deps.store.linkCursors.get(pluginCursorId(state.name, state.projectId)), deps.store.changes.lastSeq(state.projectId)]);
            if (done && lastSeq > done.seq && (await mayWakeSender(state, done))) await queueFlush(state.name, state.projectId, `reconciled.${job.runAt}`, true);
          }
          cursor = page.nextCursor;
        } while (cursor);
        const slot = Math.floor(Math.max(job.runAt, Date.now()) / reconcileEvery) + 1;
        await queue.add(PLUGIN_JOB.reconcile, {}, { id: `plugin.reconcile.${slot}`, runAt: slot * reconcileEvery, attempts: 3 });
      },
    },
    kick: (plugin, projectId) => queueFlush(plugin, projectId, `kicked.${Date.now()}`),
    async start() {
      const listeners = registry.listeners();
      if (listeners.length === 0) return;
      unsubscribe.push(
        deps.bus.subscribe((change) => {
          for (const plugin of listeners) if (matchesEvents(plugin.events, change.type)) wakeLater(plugin.name, change.projectId, String(change.seq));
        }),
      );
      await queue
        .add(PLUGIN_JOB.reconcile, {}, { id: `plugin.reconcile.boot.${Date.now()}`, attempts: 3 })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'queueing the plugin reconciliation failed'));
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
