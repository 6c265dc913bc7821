// Runs a parsed `/task` command for an actor in a project and says what
// happened in a platform-neutral result; Slack, Discord and chat format it.
// Tasks change only through the tasks service, so a command is authorized,
// validated and fed to the change feed exactly like the same edit over HTTP.

import type { Actor } from '../domain/actor.js';
import { commandWords, helpText, parseTaskCommand, resolveMention, WRITING_COMMANDS, type Mention, type Person, type TaskCommand } from '../domain/commands.js';
import { dueAtOf } from '../domain/dates.js';
import { canInProject, refusalOf } from '../domain/policies.js';
import { AppError, ConflictError } from '../errors.js';
import { listedTask, taskLabel as label, taskLine, type ListedTask } from '../presenters/command-reply.js';
import { presentTask, type TaskView } from '../presenters/index.js';
import type { Project, Task } from '../store/entities.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';
import { allMembers } from './roster.js';
import { doneColumn } from './projects.js';
import { createTask, moveTask, updateTask } from './tasks.js';

export interface CommandResult {
  ok: boolean;
  /** Plain text for the person who ran the command. */
  text: string;
  /**
   * Everyone in the room or channel sees the reply: the command changed something they share (or a plugin
   * asked for it). Otherwise (help, lists, refusals) only the person who typed it does.
   */
  public?: boolean;
  /** The tasks the command created, changed or listed. */
  tasks?: ListedTask[];
}

/** A list reply stays readable in a chat window; the board has the rest. */
const LIST_LIMIT = 20;

/** Parses and runs `text` (with or without its leading `/task`); dates resolve against the service clock. */
export async function runCommandText(deps: ServiceDeps, actor: Actor, projectId: string, text: string): Promise<CommandResult> {
  const plugin = await runPluginCommand(deps, actor, projectId, text);
  if (plugin) return plugin;
  const parsed = parseTaskCommand(text, deps.now());
  if (!parsed.ok) return { ok: false, text: `${parsed.error.message}\nUsage: ${parsed.error.usage}` };
  return runTaskCommand(deps, actor, projectId, parsed.command);
}

/**
 * `/task <name> ...` where a plugin adds `<name>`, and `/task help <name>` for
 * one; null when the text is for the built-in grammar. Plugin names never
 * shadow the grammar's (the registry refuses them), so the order cannot matter.
 */
export async function runPluginCommand(deps: ServiceDeps, actor: Actor, projectId: string, text: string): Promise<CommandResult | null> {
  const port = deps.pluginCommands;
  const words = port ? commandWords(text) : null;
  if (!port || !words || words.length === 0) return null;
  const [head, ...args] = words as [string, ...string[]];
  const name = head.toLowerCase();
  if ((name === 'help' || name === '?') && args.length === 1 && port.has(args[0]!)) {
    try {
      await projectAccess(deps, actor, projectId, 'task.read');
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ok: false, text: replyFor(error) };
      throw error;
    }
    const lines = await port.help(projectId, args[0]!.toLowerCase());
    return { ok: true, text: lines.length > 0 ? lines.join('\n') : `The /task ${args[0]} command belongs to a plugin that is not enabled in this project.` };
  }
  if (!port.has(name)) return null;
  const result = await port.run(actor, projectId, name, args);
  return { ok: result.ok, text: result.text, public: result.public };
}

/** Refusals and bad input come back as a reply, not an exception: the caller is a chat, not an HTTP client. */
export async function runTaskCommand(deps: ServiceDeps, actor: Actor, projectId: string, command: TaskCommand): Promise<CommandResult> {
  try {
    const { project, subject } = await projectAccess(deps, actor, projectId, 'task.read');
    if (WRITING_COMMANDS.has(command.kind) && !canInProject(subject, 'task.write')) {
      return { ok: false, text: refusalOf('task.write', subject.role) };
    }
    const result = await run(deps, actor, { project, selfId: subject.userId }, command);
    return { ...result, public: result.ok && WRITING_COMMANDS.has(command.kind) };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, text: replyFor(error) };
    throw error;
  }
}

function replyFor(error: AppError): string {
  const problems = (error.details as { path?: unknown; message?: unknown }[])
    .filter((d) => typeof d?.path === 'string' && typeof d.message === 'string')
    .map((d) => `${String(d.path)} ${String(d.message)}`);
  return problems.length > 0 ? `${error.message} (${problems.join('; ')})` : error.message;
}

interface Context {
  project: Project;
  selfId: string | null;
}

class Refusal extends AppError {
  constructor(message: string) {
    super('validation_failed', 400, message);
  }
}

async function run(deps: ServiceDeps, actor: Actor, ctx: Context, command: TaskCommand): Promise<CommandResult> {
  const { project } = ctx;
  switch (command.kind) {
    case 'help': {
      const extra = command.topic === null && deps.pluginCommands ? await deps.pluginCommands.help(project.id) : [];
      return { ok: true, text: [helpText(command.topic), ...extra].join('\n') };
    }
    case 'list':
      return list(deps, ctx, command.filter);
    case 'add': {
      const assignee = command.assignee === null ? null : await person(deps, ctx, command.assignee);
      const task = await createTask(deps, actor, project.id, {
        title: command.title,
        assigneeId: assignee?.id ?? null,
        dueAt: command.due === null ? null : dueAtOf(command.due),
        labels: command.labels,
        fromChat: true,
      });
      const extras = [assignee && `assigned to ${assignee.name}`, command.due && `due ${command.due}`].filter(Boolean);
      return done(deps, project, `Created ${label(task)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}.`, task);
    }
    case 'done': {
      const status = doneColumn(project);
      if (!status) throw new Refusal('This board has no columns.');
      return move(deps, actor, ctx, command.number, status);
    }
    case 'move':
      return move(deps, actor, ctx, command.number, command.status);
    case 'assign': {
      const assignee = command.assignee === null ? null : await person(deps, ctx, command.assignee);
      const task = await onFreshTask(deps, project, command.number, (t) => updateTask(deps, actor, t.id, { assigneeId: assignee?.id ?? null }, t.version));
      return done(deps, project, assignee ? `Assigned ${label(task)} to ${assignee.name}.` : `${label(task)} is now unassigned.`, task);
    }
    case 'due': {
      const dueAt = command.due === null ? null : dueAtOf(command.due);
      const task = await onFreshTask(deps, project, command.number, (t) => updateTask(deps, actor, t.id, { dueAt }, t.version));
      return done(deps, project, command.due ? `${label(task)} is due ${command.due}.` : `${label(task)} has no due date now.`, task);
    }
  }
}

/** The tasks as replies list them: column names and assignees' names, from one read of the users. */
async function listed(deps: ServiceDeps, project: Project, tasks: TaskView[]): Promise<ListedTask[]> {
  const names = new Map((await deps.store.users.getMany([...new Set(tasks.flatMap((t) => t.assigneeId ?? []))])).map((u) => [u.id, u.name]));
  return tasks.map((t) => listedTask(t, project.columns, t.assigneeId ? (names.get(t.assigneeId) ?? null) : null));
}

async function done(deps: ServiceDeps, project: Project, text: string, task: TaskView): Promise<CommandResult> {
  return { ok: true, text, tasks: await listed(deps, project, [task]) };
}

async function move(deps: ServiceDeps, actor: Actor, ctx: Context, number: number, status: string): Promise<CommandResult> {
  const column = ctx.project.columns.find((c) => c.key === status);
  if (!column) throw new Refusal(`There is no column "${status}"; the columns are ${ctx.project.columns.map((c) => c.key).join(', ')}.`);
  const task = await onFreshTask(deps, ctx.project, number, (t) =>
    t.status === status ? Promise.resolve(presentTask(t)) : moveTask(deps, actor, t.id, { status }, t.version),
  );
  return done(deps, ctx.project, `Moved ${label(task)} to ${column.name}.`, task);
}

/**
 * A command states an intent ("mark #42 done"), not an edit of a version the
 * user saw, so losing a race with another edit just means trying again on the
 * task as it now is.
 */
async function onFreshTask(deps: ServiceDeps, project: Project, number: number, write: (task: Task) => Promise<TaskView>): Promise<TaskView> {
  for (let attempt = 1; ; attempt++) {
    const task = await deps.store.tasks.getByNumber(project.id, number);
    if (!task) throw new Refusal(`There is no task #${number} in ${project.name}.`);
    try {
      return await write(task);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

async function people(deps: ServiceDeps, projectId: string): Promise<Person[]> {
  const members = await allMembers(deps, projectId);
  const users = await deps.store.users.getMany(members.map((m) => m.userId));
  return users.map((u) => ({ id: u.id, name: u.name, email: u.email }));
}

async function person(deps: ServiceDeps, ctx: Context, who: Mention): Promise<Person> {
  const match = resolveMention(who, await people(deps, ctx.project.id), ctx.selfId);
  if (!match.ok) throw new Refusal(match.message);
  return match.person;
}

async function list(deps: ServiceDeps, ctx: Context, filter: Extract<TaskCommand, { kind: 'list' }>['filter']): Promise<CommandResult> {
  const { project } = ctx;
  const columns = project.columns.map((c) => c.key);
  const finished = doneColumn(project);
  let statusOrder = columns.filter((key) => key !== finished);
  let heading = 'Open tasks';
  let assigneeId: string | undefined;
  if (filter.kind === 'status') {
    const column = project.columns.find((c) => c.key === filter.status);
    if (!column) throw new Refusal(`There is no column "${filter.status}"; the columns are ${columns.join(', ')}.`);
    statusOrder = [column.key];
    heading = `Tasks in ${column.name}`;
  } else if (filter.kind === 'mine') {
    if (!ctx.selfId) throw new Refusal('Anonymous visitors have no tasks of their own.');
    assigneeId = ctx.selfId;
    heading = 'Your open tasks';
  }
  const page = await deps.store.tasks.list(project.id, { statusOrder, ...(assigneeId ? { assigneeId } : {}) }, { limit: LIST_LIMIT });
  const tasks = await listed(deps, project, page.items.map(presentTask));
  if (tasks.length === 0) return { ok: true, text: `${heading}: none.`, tasks };
  const more = page.nextCursor ? `\n…and more on the board.` : '';
  return { ok: true, text: `${heading}:\n${tasks.map(taskLine).join('\n')}${more}`, tasks };
}
