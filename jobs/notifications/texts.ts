// The sentence a notification shows in the inbox, a mail or a chat DM. Plain
// text: each surface escapes or formats it its own way.

import { formatLocalTime } from '../../core/domain/notify.js';
import type { Project, Task } from '../../core/store/entities.js';

const quoted = (task: Pick<Task, 'number' | 'title'>) => `#${task.number} "${task.title}"`;

export const notificationText = {
  assigned: (byName: string, task: Task, project: Project) => `${byName} assigned you ${quoted(task)} in ${project.name}.`,
  dueSoon: (task: Task, project: Project, timezone: string) =>
    `${quoted(task)} in ${project.name} is due ${formatLocalTime(Date.parse(task.dueAt!), timezone)}.`,
  overdue: (task: Task, project: Project, timezone: string) =>
    `${quoted(task)} in ${project.name} was due ${formatLocalTime(Date.parse(task.dueAt!), timezone)} and is not done.`,
  mentioned: (authorName: string, roomName: string, project: Project, text: string) => {
    const excerpt = text.length > 280 ? `${text.slice(0, 279)}\u2026` : text;
    return `${authorName} mentioned you in #${roomName} (${project.name}): ${excerpt}`;
  },
  test: () => 'This is a test notification from Taskwire: this channel works.',
};
