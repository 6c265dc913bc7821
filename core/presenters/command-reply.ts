// How a `/task` reply shows a task, on every surface that answers commands:
// room chat (plain text), Slack (mrkdwn) and Discord (markdown) all take the
// facts from here, so a column reads the same everywhere (its name, "Doing",
// never its key, `doing`). Each surface only escapes and decorates them.

import type { TaskView } from './views.js';

/** A task as a command reply lists it: the task itself, plus what a reader needs spelled out. */
export type ListedTask = TaskView & {
  /** The name of the task's column ("Doing"); its key when the board no longer has that column. */
  columnName: string;
  /** The assignee's name, null when unassigned. */
  assigneeName: string | null;
};

export function listedTask(task: TaskView, columns: readonly { key: string; name: string }[], assigneeName: string | null): ListedTask {
  return { ...task, columnName: columns.find((c) => c.key === task.status)?.name ?? task.status, assigneeName: task.assigneeId ? (assigneeName ?? 'someone') : null };
}

/** `#12 Write the guide`. */
export const taskLabel = (task: Pick<TaskView, 'number' | 'title'>): string => `#${task.number} ${task.title}`;

/** The details after a task's title, in reading order: `Doing`, `@Ana Lima`, `due 2027-01-02`, `#bug`. */
export function taskDetails(task: ListedTask): string[] {
  return [task.columnName, ...(task.assigneeName ? [`@${task.assigneeName}`] : []), ...(task.dueAt ? [`due ${task.dueAt.slice(0, 10)}`] : []), ...task.labels.map((l) => `#${l}`)];
}

/** One line of a plain-text list: `#12 Write the guide (Doing, @Ana Lima, due 2027-01-02, #bug)`. */
export const taskLine = (task: ListedTask): string => `${taskLabel(task)} (${taskDetails(task).join(', ')})`;
