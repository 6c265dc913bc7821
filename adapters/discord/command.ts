// `/task` as a Discord application command: one sub-command per verb of the
// grammar, with typed options, and the way back from those options to the one
// grammar text the commands service parses (so validation, dates and replies
// are the grammar's, as in Slack and Taskwire rooms).

const STRING = 3;
const INTEGER = 4;
const SUB_COMMAND = 1;

const option = (type: number, name: string, description: string, required = false) => ({ type, name, description, required });

/** The command as registered (bulk overwrite at boot). */
export const TASK_COMMAND = {
  name: 'task',
  description: 'Create, list and move Taskwire tasks',
  type: 1,
  options: [
    {
      type: SUB_COMMAND, name: 'add', description: 'Create a task',
      options: [
        option(STRING, 'title', 'What needs doing', true),
        option(STRING, 'person', 'Who does it: a name, an email prefix or "me"'),
        option(STRING, 'date', 'Due: 2026-12-01, today, tomorrow, friday or +3d'),
        option(STRING, 'labels', 'Labels, separated by spaces'),
      ],
    },
    { type: SUB_COMMAND, name: 'list', description: 'Open tasks, yours, or one column', options: [option(STRING, 'filter', '"mine" or a column such as doing')] },
    { type: SUB_COMMAND, name: 'done', description: 'Move a task to the last column', options: [option(INTEGER, 'number', 'The task number (#42)', true)] },
    {
      type: SUB_COMMAND, name: 'assign', description: 'Give a task to someone',
      options: [option(INTEGER, 'number', 'The task number (#42)', true), option(STRING, 'person', 'A name, an email prefix, "me" or "none"', true)],
    },
    {
      type: SUB_COMMAND, name: 'move', description: 'Move a task to another column',
      options: [option(INTEGER, 'number', 'The task number (#42)', true), option(STRING, 'status', 'The column, such as doing', true)],
    },
    {
      type: SUB_COMMAND, name: 'due', description: 'Set or clear a due date',
      options: [option(INTEGER, 'number', 'The task number (#42)', true), option(STRING, 'date', 'A date, or "none"', true)],
    },
    { type: SUB_COMMAND, name: 'connect', description: 'Connect your Discord account to your Taskwire account' },
    {
      type: SUB_COMMAND, name: 'link', description: 'Mirror this channel into a room of a project you administer',
      options: [option(STRING, 'project', 'The project name or id', true), option(STRING, 'room', 'The room (default: general)')],
    },
    { type: SUB_COMMAND, name: 'help', description: 'What /task can do' },
  ],
} as const;

/** Discord allows 25 sub-commands per command. */
const MAX_SUB_COMMANDS = 25;

/**
 * The command with the plugins' sub-commands after the built-in ones: each
 * takes its words as one text option, since a plugin's grammar is its own.
 */
export function taskCommand(plugins: readonly { name: string; usage: string; description: string }[]) {
  const room = MAX_SUB_COMMANDS - TASK_COMMAND.options.length;
  const extra = plugins.slice(0, room).map((p) => ({
    type: SUB_COMMAND,
    name: p.name,
    description: p.description.slice(0, 100),
    options: [option(STRING, 'args', p.usage.slice(0, 100))],
  }));
  return { ...TASK_COMMAND, options: [...TASK_COMMAND.options, ...extra], dropped: plugins.slice(room).map((p) => p.name) };
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
}

/** A title goes in quotes so @, # and due: stay part of it; its own double quotes become single ones. */
const quoted = (text: string): string => `"${text.replace(/["\u201C\u201D]/g, "'")}"`;
const person = (who: string): string => (who.startsWith('@') ? who : `@${who}`);

/** The grammar text a sub-command with its options stands for, as the commands service parses it. */
export function grammarText(options: readonly CommandOption[] | undefined): string {
  const sub = options?.find((o) => o.type === SUB_COMMAND);
  if (!sub) return 'help';
  const value = (name: string): string | undefined => {
    const found = sub.options?.find((o) => o.name === name)?.value;
    return found === undefined ? undefined : String(found).trim();
  };
  switch (sub.name) {
    case 'add': {
      const parts = ['add', quoted(value('title') ?? '')];
      const who = value('person');
      if (who) parts.push(who === 'me' ? '@me' : person(who));
      const date = value('date');
      if (date) parts.push(`due:${date.replace(/\s+/g, '')}`);
      for (const label of (value('labels') ?? '').split(/\s+/).filter(Boolean)) parts.push(label.startsWith('#') ? label : `#${label}`);
      return parts.join(' ');
    }
    case 'list':
      return ['list', value('filter')].filter(Boolean).join(' ');
    case 'done':
      return `done ${value('number')}`;
    case 'assign': {
      const who = value('person') ?? '';
      return `assign ${value('number')} ${['me', 'none'].includes(who) ? who : person(who)}`;
    }
    case 'move':
      return `move ${value('number')} ${value('status')}`;
    case 'due':
      return `due ${value('number')} ${value('date')}`;
    case 'connect':
      return 'connect';
    case 'link':
      return ['link', value('project'), value('room')].filter(Boolean).join(' ');
    case 'help':
      return 'help';
    default:
      // A plugin's sub-command: its words as typed; the commands service finds the plugin, or says there is none.
      return [sub.name, value('args')].filter(Boolean).join(' ');
  }
}
