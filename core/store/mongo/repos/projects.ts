// Projects, their members and invites.

import type { InvitesRepo, MembersRepo, ProjectsRepo } from '../../ports.js';
import type { Raw } from '../models.js';
import { BY_CREATED, type Reads } from '../reads.js';

/** The task counter comes from the committer: it lives on the feeds document that only a lease holder writes. */
export function projectsRepo(reads: Reads, counter: Pick<ProjectsRepo, 'nextTaskNumber' | 'raiseTaskCounter'>): ProjectsRepo {
  return {
    get: (id) => reads.one('projects', { _id: id }),
    listForUser: async (userId, page) => {
      const memberships = await reads.models.entities.members.find({ userId }, { projectId: 1 }).lean<Raw[]>();
      const ids = memberships.map((member) => member.projectId as string);
      return reads.pageByCreated('projects', { _id: { $in: ids } }, page);
    },
    nextTaskNumber: counter.nextTaskNumber,
    raiseTaskCounter: counter.raiseTaskCounter,
    list: (page) => reads.pageByCreated('projects', {}, page),
    count: () => reads.models.entities.projects.countDocuments({}),
  };
}

export function membersRepo(reads: Reads): MembersRepo {
  return {
    get: (projectId, userId) => reads.one('members', { projectId, userId }),
    listByProject: (projectId, page) => reads.pageByCreated('members', { projectId }, page),
    listByUser: (userId) => reads.many('members', { userId }, BY_CREATED),
    countByRole: (projectId, role) => reads.models.entities.members.countDocuments({ projectId, role }),
  };
}

export function invitesRepo(reads: Reads): InvitesRepo {
  return {
    get: (id) => reads.one('invites', { _id: id }),
    getByEmail: (projectId, email) => reads.one('invites', { projectId, email }),
    listByProject: (projectId) => reads.many('invites', { projectId }, BY_CREATED),
    listByEmail: (email) => reads.many('invites', { email }, BY_CREATED),
    getByTokenHash: (tokenHash) => reads.one('invites', { tokenHash }),
  };
}
