// A card's move, written: shown at once (optimistic), then sent with the loaded
// neighbours' ids (or none for a column's end), so the server places a card
// among cards the page never loaded; rolled back when the server refuses it
// (409: someone else changed the task first), unless newer news came meanwhile.

import { emit } from '../events.js';
import type { LiveController } from '../live.js';
import { ApiError, conflictTask } from '../rest.js';
import { localKey } from '../store.js';

export interface MoveHost extends EventTarget {
  readonly live: LiveController | null;
  announce(text: string): void;
  showNotice(text: string): void;
}

/**
 * Puts `taskId` at `index` of column `status` (index among the column's other loaded tasks; Infinity: the
 * column's very end, loaded or not).
 */
export async function moveTask(host: MoveHost, taskId: string, status: string, index: number): Promise<void> {
  const live = host.live!;
  const store = live.store;
  const task = store.tasks.get(taskId);
  if (!task) return;
  const others = store.column(status).filter((t) => t.id !== taskId);
  const at = Math.max(0, Math.min(index, others.length));
  const after = others[at - 1] ?? null;
  const before = others[at] ?? null;
  const currentIndex = store.column(task.status).findIndex((t) => t.id === taskId);
  if (task.status === status && currentIndex === at && index !== Infinity) return;
  // Optimistic: a local key between the new neighbours, for ordering only (the server assigns the real one).
  store.putTask({ ...task, status, position: localKey(after?.position ?? null, before?.position ?? null) });
  live.applyLocal({ kind: 'task', id: taskId });
  const moveInput = index === Infinity ? { status, afterId: null, beforeId: null } : { status, afterId: after?.id ?? null, beforeId: before?.id ?? null };
  try {
    const moved = await live.writing(taskId, () => live.rest.moveTask(taskId, { ...moveInput, version: task.version }));
    store.upsertTask(moved);
    live.applyLocal({ kind: 'task', id: taskId });
    emit(host, 'taskwire-task-moved', { task: moved, from: { status: task.status }, to: moveInput });
  } catch (error) {
    // Back to what it was, unless newer news about it came in meanwhile.
    if (store.tasks.get(taskId)?.version === task.version) store.putTask(task);
    const latest = conflictTask(error);
    if (latest) store.upsertTask(latest);
    live.applyLocal({ kind: 'task', id: taskId });
    const message = latest ? `“${task.title}” was changed by someone else first, so it was put back.` : error instanceof Error ? error.message : 'The move failed.';
    host.showNotice(message);
    host.announce(message);
    emit(host, 'taskwire-task-move-failed', { taskId, code: error instanceof ApiError ? error.code : 'error', message });
  }
}
