// Text for Slack. Slack reads `&`, `<` and `>` as markup (links, user and
// channel mentions, `<!channel>`), so user text is escaped: mirrored messages
// and task titles can never ping anyone or forge a link. Replies to commands
// are Block Kit: one section per task, with buttons where the caller may act.

import { taskDetails, type ListedTask } from '../../core/presenters/command-reply.js';

export const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const ACTIONS = { done: 'taskwire_done', assignMe: 'taskwire_assign_me' } as const;
export const SHORTCUT_CREATE_TASK = 'taskwire_create_task';

type Block = Record<string, unknown>;

function taskLine(task: ListedTask, publicUrl: string): string {
  const link = `<${publicUrl}/#/projects/${encodeURIComponent(task.projectId)}/board|#${task.number}>`;
  return `${link} *${escapeSlack(task.title)}* · ${escapeSlack(taskDetails(task).join(' · '))}`;
}

/** A command's reply: its text, then the tasks it touched or listed, each with Done / Assign to me unless done. */
export function replyBlocks(text: string, tasks: readonly ListedTask[], publicUrl: string, doneStatus: string | null): Block[] {
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(text).slice(0, 2_900) } }];
  for (const task of tasks.slice(0, 20)) {
    const section: Block = { type: 'section', text: { type: 'mrkdwn', text: taskLine(task, publicUrl) } };
    blocks.push(section);
    if (task.status === doneStatus) continue;
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTIONS.done, text: { type: 'plain_text', text: 'Done' }, value: task.id },
        { type: 'button', action_id: ACTIONS.assignMe, text: { type: 'plain_text', text: 'Assign to me' }, value: task.id },
      ],
    });
  }
  return blocks;
}
