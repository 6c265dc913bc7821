// A big board in bulk: tasks written straight through the Store port in
// chunks (no feed entries: nobody has seen them yet), with evenly spread
// fractional positions per column, so the server's moves work on them as on
// tasks it made itself. Titles are "<column> card 0000"… in board order.

import { evenKeys } from '../../../core/domain/ordering.js';
import type { Task } from '../../../core/store/entities.js';
import type { Store } from '../../../core/store/ports.js';

const CHUNK = 1000;

export const cardTitle = (status: string, index: number): string => `${status} card ${String(index).padStart(4, '0')}`;

/** Adds `perColumn[status]` tasks to each column of the project; returns their ids per column, in board order. */
export async function seedBoard(store: Store, projectId: string, ownerId: string, perColumn: Record<string, number>): Promise<Record<string, string[]>> {
  const head = await store.projects.nextTaskNumber(projectId);
  let number = head;
  const ids: Record<string, string[]> = {};
  const now = Date.now();
  const tasks: Task[] = [];
  for (const [status, n] of Object.entries(perColumn)) {
    const keys = evenKeys(n);
    ids[status] = [];
    keys.forEach((position, i) => {
      const at = new Date(now - (n - i) * 1000).toISOString();
      const id = `seed-${projectId.slice(-6)}-${status}-${i}`;
      ids[status]!.push(id);
      tasks.push({
        id, projectId, number: number++, title: cardTitle(status, i), description: '', status, assigneeId: null, assignedAt: null, dueAt: null,
        labels: i % 7 === 0 ? ['bulk'] : [], position, fields: {}, version: 1, createdBy: ownerId, createdAt: at, updatedAt: at,
        completedAt: status === 'done' ? at : null, startedAt: null, fromChat: false,
      });
    });
  }
  for (let i = 0; i < tasks.length; i += CHUNK) {
    const chunk = tasks.slice(i, i + CHUNK);
    await store.write({ projectId: null }, (uow) => chunk.forEach((task) => uow.insert('tasks', task)));
  }
  await store.projects.raiseTaskCounter(projectId, number);
  return ids;
}
