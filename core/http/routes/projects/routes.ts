import { MyProjectView } from '../../../presenters/index.js';
import type { ServiceDeps } from '../../../services/deps.js';
import * as projects from '../../../services/projects.js';
import { route, type RouteDef } from '../../routing.js';
import { PageQuery } from '../common.js';
import { ProjectCreate, ProjectList, ProjectParams, ProjectPatch } from './schema.js';

export function projectRoutes(deps: ServiceDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects', tag: 'projects', summary: 'Projects the caller belongs to', auth: 'required',
      query: PageQuery, status: 200, response: ProjectList, errors: [400, 401],
      handle: ({ actor, query }) => projects.listMyProjects(deps, actor, query),
    }),
    route({
      method: 'post', path: '/api/projects', tag: 'projects', summary: 'Create a project (the caller becomes owner)', auth: 'required',
      body: ProjectCreate, status: 201, response: MyProjectView, errors: [400, 401, 403, 413],
      handle: ({ actor, body }) => projects.createProject(deps, actor, body),
    }),
    route({
      method: 'get', path: '/api/projects/:projectId', tag: 'projects', summary: 'A project', auth: 'required',
      params: ProjectParams, status: 200, response: MyProjectView, errors: [401, 404],
      handle: ({ actor, params }) => projects.getProject(deps, actor, params.projectId),
    }),
    route({
      method: 'patch', path: '/api/projects/:projectId', tag: 'projects', summary: 'Rename, describe or change the board columns (admins)', auth: 'required',
      params: ProjectParams, body: ProjectPatch, status: 200, response: MyProjectView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => projects.updateProject(deps, actor, params.projectId, body),
    }),
    route({
      method: 'delete', path: '/api/projects/:projectId', tag: 'projects', summary: 'Delete a project (owners)', auth: 'required',
      params: ProjectParams, status: 204, response: null, errors: [401, 403, 404, 409],
      handle: ({ actor, params }) => projects.deleteProject(deps, actor, params.projectId),
    }),
  ];
}
