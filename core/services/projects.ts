// Projects: create (the caller becomes owner, a `general` room comes with it),
// list, read, update (name, description, board columns), delete.

import type { Actor } from '../domain/actor.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { presentMyProject, presentProject, type MyProjectView, type ProjectView } from '../presenters/index.js';
import type { Column, Member, Project, Room } from '../store/entities.js';
import type { Page, PageRequest } from '../store/ports.js';
import { projectAccess, requireUser } from './access.js';
import { commit, type ServiceDeps } from './deps.js';
import { allMembers } from './roster.js';

export const DEFAULT_COLUMNS: readonly Column[] = [
  { key: 'todo', name: 'To do' },
  { key: 'doing', name: 'Doing' },
  { key: 'done', name: 'Done' },
];

/** The column whose tasks count as completed: the last one on the board. */
export const doneColumn = (project: Pick<Project, 'columns'>): string | undefined => project.columns.at(-1)?.key;

export async function createProject(deps: ServiceDeps, actor: Actor, input: { name: string; description?: string | undefined }): Promise<MyProjectView> {
  const userId = requireUser(actor);
  if (actor.kind !== 'user') throw new ForbiddenError(actor.kind === 'embed' ? 'An embedded widget cannot create projects.' : 'A plugin cannot create projects.');
  const now = deps.now().toISOString();
  const project: Project = {
    id: deps.newId(),
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    columns: DEFAULT_COLUMNS.map((c) => ({ ...c })),
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  const owner: Member = { id: deps.newId(), projectId: project.id, userId, role: 'owner', createdAt: now, updatedAt: now };
  const general: Room = { id: deps.newId(), projectId: project.id, name: 'general', topic: '', private: false, createdBy: userId, createdAt: now, updatedAt: now };
  await commit(deps, { projectId: project.id }, (uow) => {
    uow.insert('projects', project);
    uow.insert('members', owner);
    uow.insert('rooms', general);
    uow.append({ type: 'project.created', actorId: userId, data: presentProject(project) });
  });
  return presentMyProject(project, 'owner');
}

export async function listMyProjects(deps: ServiceDeps, actor: Actor, page: PageRequest): Promise<Page<MyProjectView>> {
  if (actor.kind === 'embed') {
    const { project, subject } = await projectAccess(deps, actor, actor.projectId, 'project.read');
    return { items: [presentMyProject(project, subject.role!)], nextCursor: null };
  }
  const result = await deps.store.projects.listForUser(actor.userId, page);
  const roles = new Map((await deps.store.members.listByUser(actor.userId)).map((m) => [m.projectId, m.role]));
  return { items: result.items.map((p) => presentMyProject(p, roles.get(p.id) ?? 'viewer')), nextCursor: result.nextCursor };
}

export async function getProject(deps: ServiceDeps, actor: Actor, projectId: string): Promise<MyProjectView> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'project.read');
  return presentMyProject(project, subject.role!);
}

export interface ProjectPatch {
  name?: string | undefined;
  description?: string | undefined;
  columns?: Column[] | undefined;
}

export async function updateProject(deps: ServiceDeps, actor: Actor, projectId: string, patch: ProjectPatch): Promise<MyProjectView> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'project.update');
  if (patch.columns) await checkColumnsRemovable(deps, project, patch.columns);
  const updated: Project = {
    ...project,
    name: patch.name?.trim() ?? project.name,
    description: patch.description?.trim() ?? project.description,
    columns: patch.columns?.map((c) => ({ key: c.key, name: c.name.trim() })) ?? project.columns,
    updatedAt: deps.now().toISOString(),
  };
  await commit(deps, { projectId }, (uow) => {
    uow.replace('projects', updated, { updatedAt: project.updatedAt });
    uow.append({ type: 'project.updated', actorId: subject.userId, data: presentProject(updated) });
  });
  return presentMyProject(updated, subject.role!);
}

async function checkColumnsRemovable(deps: ServiceDeps, project: Project, columns: Column[]): Promise<void> {
  const kept = new Set(columns.map((c) => c.key));
  for (const column of project.columns) {
    if (kept.has(column.key)) continue;
    const page = await deps.store.tasks.list(project.id, { statusOrder: [column.key] }, { limit: 1 });
    if (page.items.length > 0) {
      throw new ConflictError(`The column "${column.key}" still has tasks; move them before removing it.`, [{ column: column.key }]);
    }
  }
}

export async function deleteProject(deps: ServiceDeps, actor: Actor, projectId: string): Promise<void> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'project.delete');
  const members = await allMembers(deps, projectId);
  // Without its project and memberships nothing of it is reachable, at once; the rest (tasks, rooms, messages, hooks,
  // the feed...) is purged later in batches by the jobs layer (jobs/purge), which finds it by this project's absence.
  await commit(deps, { projectId }, (uow) => {
    uow.remove('projects', project.id, { updatedAt: project.updatedAt });
    members.forEach((m) => uow.remove('members', m.id));
    uow.append({ type: 'project.deleted', actorId: subject.userId, data: { id: project.id } });
  });
}

export type { ProjectView };
