// Loads the facts a policy needs (the project, the actor's role in it) and
// applies it: what the actor may not know exists is 404, what it can see but
// may not do is 403.

import type { Actor } from '../domain/actor.js';
import { canInProject, refusalOf, type ProjectAction, type Subject } from '../domain/policies.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Project } from '../store/entities.js';
import type { ServiceDeps } from './deps.js';

export interface ProjectAccess {
  project: Project;
  subject: Subject;
}

export async function subjectIn(deps: ServiceDeps, actor: Actor, projectId: string): Promise<Subject> {
  if (actor.kind === 'embed') {
    // An embed token acts only in its own project and never above its role.
    return { userId: actor.userId, role: actor.projectId === projectId ? actor.maxRole : null };
  }
  if (actor.kind === 'plugin') return { userId: actor.userId, role: actor.projectId === projectId ? 'member' : null };
  const member = await deps.store.members.get(projectId, actor.userId);
  return { userId: actor.userId, role: member?.role ?? null };
}

export async function projectAccess(deps: ServiceDeps, actor: Actor, projectId: string, action: ProjectAction): Promise<ProjectAccess> {
  const project = await deps.store.projects.get(projectId);
  const subject = project ? await subjectIn(deps, actor, projectId) : null;
  if (!project || !subject || !canInProject(subject, 'project.read')) throw new NotFoundError('Project not found.');
  if (!canInProject(subject, action)) throw new ForbiddenError(refusalOf(action, subject.role));
  return { project, subject };
}

/** The user an action is attributed to; anonymous embed visitors cannot write. */
export function requireUser(actor: Actor): string {
  const userId = actor.userId;
  if (!userId) throw new ForbiddenError('Anonymous visitors cannot do this.');
  return userId;
}
