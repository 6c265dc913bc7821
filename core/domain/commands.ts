// The one `/task` grammar: Slack, Discord and Taskwire chat all parse with this
// module, so a command means the same everywhere. Pure: mentions stay text
// (resolved against project members by the service) and dates resolve against
// the `now` the caller passes.

import { DATE_FORMS, parseDate, type CalendarDate } from './dates.js';

export type CommandName = 'add' | 'list' | 'done' | 'assign' | 'move' | 'due' | 'help';

export type ListFilter = { kind: 'open' } | { kind: 'mine' } | { kind: 'status'; status: string };

/** An @mention as typed, without the `@`; `me` means the caller. */
export type Mention = string;

export type TaskCommand =
  | { kind: 'add'; title: string; assignee: Mention | null; due: CalendarDate | null; labels: string[] }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'done'; number: number }
  /** assignee null: unassign. */
  | { kind: 'assign'; number: number; assignee: Mention | null }
  | { kind: 'move'; number: number; status: string }
  /** due null: clear the due date. */
  | { kind: 'due'; number: number; due: CalendarDate | null }
  | { kind: 'help'; topic: CommandName | null };

export type ParseErrorCode = 'unknown_command' | 'missing_argument' | 'unexpected_argument' | 'invalid_argument' | 'unterminated_quote';

export interface CommandParseError {
  code: ParseErrorCode;
  /** A sentence for the person who typed the command. */
  message: string;
  /** The usage line of the command concerned, or of every command. */
  usage: string;
}

export type CommandParse = { ok: true; command: TaskCommand } | { ok: false; error: CommandParseError };

export const USAGE: Record<CommandName, string> = {
  add: '/task add <title> [@person] [due:<date>] [#label ...]',
  list: '/task list [mine|<status>]',
  done: '/task done <number>',
  assign: '/task assign <number> @person|me|none',
  move: '/task move <number> <status>',
  due: '/task due <number> <date>|none',
  help: '/task help [command]',
};

const DESCRIPTION: Record<CommandName, string> = {
  add: 'create a task; quote the title to keep @, # or due: in it',
  list: 'open tasks, yours, or those in one column',
  done: 'move a task to the last column',
  assign: 'give a task to a project member (by name or email prefix)',
  move: 'move a task to another column',
  due: 'set or clear a due date',
  help: 'this help',
};

// A Map, not an object literal: `/task constructor` must not find Object.prototype.
const ALIASES = new Map<string, CommandName>([
  ['add', 'add'], ['new', 'add'], ['create', 'add'],
  ['list', 'list'], ['ls', 'list'],
  ['done', 'done'], ['close', 'done'], ['complete', 'done'],
  ['assign', 'assign'], ['move', 'move'], ['due', 'due'], ['help', 'help'], ['?', 'help'],
]);

/** Commands that change tasks: refused to read-only roles. */
export const WRITING_COMMANDS: ReadonlySet<CommandName> = new Set(['add', 'done', 'assign', 'move', 'due']);

const ALL_USAGE = Object.values(USAGE).join('\n');
const MAX_TITLE = 200;
const MAX_LABEL = 50;
const MAX_LABELS = 20;
const STATUS = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N}_\-./]*$/u;
const PREFIX = /^\/task(?=\s|$)/i;
const UNASSIGN = new Set(['none', 'nobody', '-']);

/** Whether a chat message is a `/task` command (and not, say, `/tasks` or prose). */
export function isTaskCommand(text: string): boolean {
  return PREFIX.test(text.trimStart());
}

export function helpText(topic: CommandName | null = null): string {
  const names = topic ? [topic] : (Object.keys(USAGE) as CommandName[]);
  const lines = names.map((name) => `${USAGE[name]} - ${DESCRIPTION[name]}`);
  if (!topic || topic === 'add' || topic === 'due') lines.push(`Dates: ${DATE_FORMS}.`);
  return lines.join('\n');
}

interface Token {
  text: string;
  /** Quoted text is literal: never a mention, label or option. */
  quoted: boolean;
}

class ParseFailure extends Error {
  constructor(readonly error: CommandParseError) {
    super(error.message);
  }
}

function fail(code: ParseErrorCode, message: string, usage = ALL_USAGE): never {
  throw new ParseFailure({ code, message, usage });
}

const CLOSING: Record<string, string> = { '"': '"', '\u201C': '\u201D', '\u201E': '\u201C' };

/** Splits on whitespace, keeping "double" or “curly” quoted runs whole (phones and Slack curl quotes). */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const close = CLOSING[char];
    if (close) {
      const end = input.indexOf(close, i + 1);
      if (end < 0) fail('unterminated_quote', 'A quote is opened but never closed.');
      tokens.push({ text: input.slice(i + 1, end).trim(), quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end]!)) end += 1;
    tokens.push({ text: input.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let x = 1; x <= a.length; x += 1) {
    const next = [x];
    for (let y = 1; y <= b.length; y += 1) next.push(Math.min(row[y]! + 1, next[y - 1]! + 1, row[y - 1]! + (a[x - 1] === b[y - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/** A one- or two-letter slip ("ad", "lsit") still finds its command. */
function suggest(word: string): CommandName | null {
  const found = Object.keys(USAGE).find((name) => editDistance(word, name) <= (name.length > 3 ? 2 : 1));
  return (found as CommandName | undefined) ?? null;
}

function taskNumber(token: Token | undefined, name: CommandName): number {
  if (!token) return fail('missing_argument', `Which task? Give its number, as in ${USAGE[name].replace('<number>', '42')}.`, USAGE[name]);
  const match = /^#?(\d{1,9})$/.exec(token.text);
  const number = match ? Number(match[1]) : 0;
  if (token.quoted || number < 1) fail('invalid_argument', `"${token.text}" is not a task number; use the number shown as #42.`, USAGE[name]);
  return number;
}

function noMore(rest: Token[], name: CommandName): void {
  if (rest.length > 0) fail('unexpected_argument', `Unexpected "${rest.map((t) => t.text).join(' ')}" after the command.`, USAGE[name]);
}

function status(token: Token | undefined, name: CommandName): string {
  if (!token) return fail('missing_argument', 'Which column? Give its key, as in todo, doing or done.', USAGE[name]);
  const key = token.text.toLowerCase();
  if (!STATUS.test(key)) fail('invalid_argument', `"${token.text}" is not a column key (lower-case letters, digits, - or _).`, USAGE[name]);
  return key;
}

function mention(text: string, name: CommandName): Mention {
  const who = text.replace(/^@/, '');
  if (who.length === 0 || who.length > 254) fail('invalid_argument', 'Write a person as @name or @email prefix.', USAGE[name]);
  return who.toLowerCase() === 'me' ? 'me' : who;
}

function dueDate(text: string, now: Date, name: CommandName): CalendarDate {
  const parsed = parseDate(text, now);
  if (!parsed.ok) return fail('invalid_argument', parsed.message, USAGE[name]);
  return parsed.date;
}

function parseAdd(args: Token[], now: Date): TaskCommand {
  const words: string[] = [];
  const labels: string[] = [];
  let assignee: Mention | null = null;
  let due: CalendarDate | null = null;
  for (const token of args) {
    const { text } = token;
    if (token.quoted || text.length < 2) {
      if (text) words.push(text);
    } else if (text.startsWith('@')) {
      if (assignee !== null) fail('unexpected_argument', 'A task has one assignee; mention one person (quote the title to keep an @ in it).', USAGE.add);
      assignee = mention(text, 'add');
    } else if (text.startsWith('#')) {
      const label = text.slice(1);
      if (label.length > MAX_LABEL || !LABEL.test(label)) fail('invalid_argument', `"${text}" is not a label; use letters, digits, - _ . or /.`, USAGE.add);
      if (!labels.includes(label)) labels.push(label);
      if (labels.length > MAX_LABELS) fail('unexpected_argument', `A task takes at most ${MAX_LABELS} labels.`, USAGE.add);
    } else if (/^due:/i.test(text)) {
      if (due !== null) fail('unexpected_argument', 'The due date is given twice.', USAGE.add);
      due = dueDate(text.slice(4), now, 'add');
    } else {
      words.push(text);
    }
  }
  const title = words.join(' ');
  if (!title) fail('missing_argument', 'The task needs a title, as in /task add "Fix login" @ana due:friday #bug.', USAGE.add);
  if (title.length > MAX_TITLE) fail('invalid_argument', `The title is ${title.length} characters long; keep it to ${MAX_TITLE}.`, USAGE.add);
  return { kind: 'add', title, assignee, due, labels };
}

function parseList(args: Token[]): TaskCommand {
  const [first, ...rest] = args;
  noMore(rest, 'list');
  if (!first) return { kind: 'list', filter: { kind: 'open' } };
  if (first.text.toLowerCase() === 'mine') return { kind: 'list', filter: { kind: 'mine' } };
  return { kind: 'list', filter: { kind: 'status', status: status(first, 'list') } };
}

function parseSubcommand(name: CommandName, args: Token[], now: Date): TaskCommand {
  switch (name) {
    case 'add':
      return parseAdd(args, now);
    case 'list':
      return parseList(args);
    case 'done': {
      const number = taskNumber(args[0], name);
      noMore(args.slice(1), name);
      return { kind: 'done', number };
    }
    case 'assign': {
      const number = taskNumber(args[0], name);
      const who = args[1];
      if (!who) fail('missing_argument', 'Assign to whom? Mention a person, "me" or "none".', USAGE.assign);
      noMore(args.slice(2), name);
      const text = who.text;
      return { kind: 'assign', number, assignee: UNASSIGN.has(text.toLowerCase()) ? null : mention(text, name) };
    }
    case 'move': {
      const number = taskNumber(args[0], name);
      const key = status(args[1], name);
      noMore(args.slice(2), name);
      return { kind: 'move', number, status: key };
    }
    case 'due': {
      const number = taskNumber(args[0], name);
      const when = args[1];
      if (!when) fail('missing_argument', `When is it due? Use ${DATE_FORMS}, or "none".`, USAGE.due);
      noMore(args.slice(2), name);
      const text = when.text.replace(/^due:/i, '');
      return { kind: 'due', number, due: text.toLowerCase() === 'none' ? null : dueDate(text, now, name) };
    }
    case 'help': {
      const topic = args[0] ? ALIASES.get(args[0].text.toLowerCase()) : undefined;
      if (args[0] && !topic) fail('invalid_argument', `There is no command "${args[0].text}".`, USAGE.help);
      return { kind: 'help', topic: topic ?? null };
    }
  }
}

/**
 * Parses a command with or without its leading `/task` (Slack hands over only
 * the text after it). An empty command asks for help.
 */
export function parseTaskCommand(input: string, now: Date): CommandParse {
  try {
    const [head, ...args] = tokenize(input.trim().replace(PREFIX, ''));
    if (!head) return { ok: true, command: { kind: 'help', topic: null } };
    const name = head.quoted ? undefined : ALIASES.get(head.text.toLowerCase());
    if (!name) {
      const guess = suggest(head.text.toLowerCase());
      const hint = guess ? ` Did you mean "/task ${guess}"?` : ' Try "/task help".';
      return fail('unknown_command', `There is no /task command "${head.text}".${hint}`);
    }
    return { ok: true, command: parseSubcommand(name, args, now) };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.error };
    throw error;
  }
}

const assigneeText = (assignee: Mention | null): string => (assignee === null ? 'none' : `@${assignee}`);

/** Quote marks that keep a title literal, tried in turn: the first whose closing mark the title does not contain. */
const QUOTES: readonly [string, string][] = [['"', '"'], ['\u201C', '\u201D'], ['\u201E', '\u201C']];

/**
 * The canonical text of a command (without `/task`): parsing it gives the
 * command back. Bots and the widget use it to show what a button or a form
 * will run; the grammar's property tests check the round trip. Null when a
 * title holds every closing quote mark and so cannot be written literally.
 */
export function formatTaskCommand(command: TaskCommand): string | null {
  switch (command.kind) {
    case 'add': {
      const quote = QUOTES.find(([, close]) => !command.title.includes(close));
      if (!quote) return null;
      const parts = ['add', `${quote[0]}${command.title}${quote[1]}`];
      if (command.assignee !== null) parts.push(assigneeText(command.assignee));
      if (command.due !== null) parts.push(`due:${command.due}`);
      parts.push(...command.labels.map((label) => `#${label}`));
      return parts.join(' ');
    }
    case 'list':
      return command.filter.kind === 'open' ? 'list' : command.filter.kind === 'mine' ? 'list mine' : `list ${command.filter.status}`;
    case 'done':
      return `done ${command.number}`;
    case 'assign':
      return `assign ${command.number} ${assigneeText(command.assignee)}`;
    case 'move':
      return `move ${command.number} ${command.status}`;
    case 'due':
      return `due ${command.number} ${command.due ?? 'none'}`;
    case 'help':
      return command.topic ? `help ${command.topic}` : 'help';
  }
}

/** Words the built-in grammar and the chat platforms (`connect`, `link`) own: no plugin command may take them. */
export function isReservedCommand(word: string): boolean {
  const lower = word.toLowerCase();
  return ALIASES.has(lower) || lower === 'connect' || lower === 'link';
}

/** The words of a `/task` text, quoted runs whole (for plugin commands), or null when a quote is left open. */
export function commandWords(input: string): string[] | null {
  try {
    return tokenize(input.trim().replace(PREFIX, '')).map((t) => t.text);
  } catch (error) {
    if (error instanceof ParseFailure) return null;
    throw error;
  }
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** What `@who` may name a person by: the email, its local part, the full name (with or without spaces), a name word. */
export function mentionKeys(p: Person): string[] {
  const name = p.name.toLowerCase();
  const email = p.email.toLowerCase();
  return [email, email.split('@')[0] ?? '', name, name.replace(/\s+/g, ''), ...name.split(/\s+/)];
}

export type MentionMatch = { ok: true; person: Person } | { ok: false; message: string };

/**
 * Exact matches (email, its local part, the full name, a name word) win over
 * prefixes, so `@ana` finds "Ana" even when "Anabel" is also a member; when
 * still several match, the reply lists them instead of guessing.
 */
export function resolveMention(who: Mention, people: readonly Person[], selfId: string | null): MentionMatch {
  if (who === 'me') {
    const self = people.find((p) => p.id === selfId);
    return self ? { ok: true, person: self } : { ok: false, message: 'You are not a member of this project.' };
  }
  const needle = who.toLowerCase();
  const exact = people.filter((p) => mentionKeys(p).includes(needle));
  const found = exact.length > 0 ? exact : people.filter((p) => mentionKeys(p).some((key) => key.startsWith(needle)));
  if (found.length === 1) return { ok: true, person: found[0]! };
  if (found.length === 0) return { ok: false, message: `No project member matches @${who}.` };
  const names = found.slice(0, 5).map((p) => `${p.name} <${p.email}>`).join(', ');
  return { ok: false, message: `@${who} matches several members (${names}); be more specific.` };
}

/** Sub-commands that only make sense in Slack or Discord: they act on the chat account or the channel itself. */
export type ChatCommand = { kind: 'connect' } | { kind: 'link'; project: string; room: string | null };

export const CHAT_USAGE = {
  connect: '/task connect - link your chat account to your Taskwire account (a one-time URL, 10 minutes)',
  link: '/task link <project> [room] - mirror this channel into a room of a project you administer (default room: general)',
} as const;

/** `connect` or `link` from a chat platform, or null when the text is a board command (or not a command). */
export function parseChatCommand(input: string): ChatCommand | null {
  const words = input.trim().replace(PREFIX, '').trim().split(/\s+/).filter(Boolean);
  const verb = words[0]?.toLowerCase();
  if (verb === 'connect' && words.length === 1) return { kind: 'connect' };
  if (verb === 'link' && (words.length === 2 || words.length === 3)) {
    const room = words[2]?.replace(/^#/, '') ?? null;
    return { kind: 'link', project: words[1]!, room };
  }
  return null;
}

/** The help a chat platform shows: the board grammar, then its own sub-commands. */
export function chatHelpText(): string {
  return `${helpText()}\n${CHAT_USAGE.connect}\n${CHAT_USAGE.link}`;
}
