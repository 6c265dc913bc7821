// Tasks stored before analytics existed have no moves, no startedAt and no
// fromChat. At open, each such task gets its moves replayed from its
// project's feed (each entry whose status differs from the one before), a
// last move to its column when the feed does not end there, and its startedAt
// (the first move out of the board's first column). Records get fixed ids and
// the task is marked last, so a backfill cut off is finished by the next open.
// (The SQLite store does the same in migration 10.)

import type { Column, TaskMove } from '../entities.js';
import { isDuplicateKey } from './errors.js';
import { driver, idOf, type Models, type Raw } from './models.js';

const TASK_CHANGES = ['task.created', 'task.updated', 'task.moved'];

export async function backfillTaskHistory(models: Models): Promise<void> {
  const unmarked = { fromChat: { $exists: false } };
  const projectIds = (await models.entities.tasks.distinct('projectId', unmarked)) as string[];
  for (const projectId of projectIds) {
    const project = await models.entities.projects.findOne({ _id: projectId }, { columns: 1 }).lean<Raw>();
    const tasks = await models.entities.tasks.find({ projectId, ...unmarked }, { status: 1, createdAt: 1, updatedAt: 1 }).lean<Raw[]>();
    const moves = new Map(tasks.map((t) => [idOf(t), [] as TaskMove[]]));
    const feed = models.changes.find({ projectId, type: { $in: TASK_CHANGES } }, { seq: 1, type: 1, at: 1, data: 1 }).sort({ seq: 1 }).lean<Raw>().cursor();
    for await (const change of feed) {
      const data = JSON.parse(change.data as string) as { id?: string; status?: string; createdAt?: string };
      const history = data.id === undefined ? undefined : moves.get(data.id);
      if (!history || !data.status || history.at(-1)?.to === data.status) continue;
      const at = change.type === 'task.created' && data.createdAt ? data.createdAt : (change.at as string);
      history.push({ id: `${data.id}:${String(change.seq).padStart(12, '0')}`, projectId, taskId: data.id!, from: history.at(-1)?.to ?? null, to: data.status, at });
    }
    const firstColumn = ((project?.columns as Column[] | undefined) ?? [])[0]?.key;
    for (const task of tasks) {
      const taskId = idOf(task);
      const history = moves.get(taskId)!;
      const last = history.at(-1);
      if (last?.to !== task.status) {
        const at = last ? [task.updatedAt as string, last.at].sort().at(-1)! : (task.createdAt as string);
        history.push({ id: `${taskId}:backfill`, projectId, taskId, from: last?.to ?? null, to: task.status as string, at });
      }
      await insertKept(models, history);
      const startedAt = history.find((m) => m.to !== firstColumn)?.at ?? null;
      await driver(models.entities.tasks).updateOne({ _id: taskId, ...unmarked }, { $set: { startedAt, fromChat: false } });
    }
  }
}

/** Inserts the moves; those a cut-off run already stored stay as they are. */
async function insertKept(models: Models, moves: readonly TaskMove[]): Promise<void> {
  if (moves.length === 0) return;
  try {
    await driver(models.entities.taskMoves).insertMany(moves.map(({ id, ...fields }) => ({ _id: id, ...fields })), { ordered: false });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
