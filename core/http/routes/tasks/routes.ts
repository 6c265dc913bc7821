import type { Context } from 'koa';
import { TaskView } from '../../../presenters/index.js';
import { projectAccess } from '../../../services/access.js';
import type { ServiceDeps } from '../../../services/deps.js';
import * as tasks from '../../../services/tasks.js';
import type { ListCache } from '../../list-cache.js';
import { route, type RouteDef } from '../../routing.js';
import { ColumnCounts, ColumnsQuery, ProjectParams, TaskCreate, TaskList, TaskListQuery, TaskMove, TaskParams, TaskPatch, basedOnVersion, etagOf } from './schema.js';

/** Hands the version back as an ETag, so a client can send it as If-Match. */
async function withEtag(ctx: Context, work: Promise<TaskView>): Promise<TaskView> {
  const task = await work;
  ctx.set('ETag', etagOf(task.version));
  return task;
}

export function taskRoutes(deps: ServiceDeps, lists: ListCache): RouteDef[] {
  // Every reader of a project sees the same tasks and counts: the visibility is the right to read them.
  const readable = async (actor: Parameters<typeof projectAccess>[1], projectId: string) => {
    await projectAccess(deps, actor, projectId, 'task.read');
    return { projectId, visibility: '*' };
  };
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/tasks', tag: 'tasks', summary: 'Tasks of a project, by board column, then position', auth: 'required',
      params: ProjectParams, query: TaskListQuery, status: 200, response: TaskList, errors: [400, 401, 404], conditional: true,
      handle: ({ actor, params, query, ctx }) => {
        const { limit, cursor, order, ...filter } = query;
        return lists.serve(ctx, {
          list: 'tasks', input: { params, query },
          scope: () => readable(actor, params.projectId),
          compute: () => tasks.listTasks(deps, actor, params.projectId, filter, { limit, cursor: cursor ?? null }, order),
        });
      },
    }),
    route({
      method: 'get', path: '/api/projects/:projectId/columns', tag: 'tasks', summary: 'The board\'s columns in order, with how many tasks (matching the filters) each holds', auth: 'required',
      params: ProjectParams, query: ColumnsQuery, status: 200, response: ColumnCounts, errors: [400, 401, 404], conditional: true,
      handle: ({ actor, params, query, ctx }) =>
        lists.serve(ctx, {
          list: 'columns', input: { params, query },
          scope: () => readable(actor, params.projectId),
          compute: async () => ({ items: await tasks.listColumns(deps, actor, params.projectId, query) }),
        }),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/tasks', tag: 'tasks', summary: 'Create a task (members); it goes to the end of its column', auth: 'required',
      params: ProjectParams, body: TaskCreate, status: 201, response: TaskView, errors: [400, 401, 403, 404, 413],
      handle: ({ actor, params, body, ctx }) => withEtag(ctx, tasks.createTask(deps, actor, params.projectId, body)),
    }),
    route({
      method: 'get', path: '/api/tasks/:taskId', tag: 'tasks', summary: 'A task', auth: 'required',
      params: TaskParams, status: 200, response: TaskView, errors: [401, 404],
      handle: ({ actor, params, ctx }) => withEtag(ctx, tasks.getTask(deps, actor, params.taskId)),
    }),
    route({
      method: 'patch', path: '/api/tasks/:taskId', tag: 'tasks', summary: 'Edit a task, based on its version (body `version` or If-Match); stale: 409 with the current task', auth: 'required',
      params: TaskParams, body: TaskPatch, status: 200, response: TaskView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body: { version, ...fields }, ctx }) =>
        withEtag(ctx, tasks.updateTask(deps, actor, params.taskId, fields, basedOnVersion(version, ctx.get('If-Match'))!)),
    }),
    route({
      method: 'delete', path: '/api/tasks/:taskId', tag: 'tasks', summary: 'Delete a task (members); If-Match optional', auth: 'required',
      params: TaskParams, status: 204, response: null, errors: [400, 401, 403, 404, 409],
      handle: ({ actor, params, ctx }) => tasks.deleteTask(deps, actor, params.taskId, basedOnVersion(undefined, ctx.get('If-Match'), false)),
    }),
    route({
      method: 'post', path: '/api/tasks/:taskId/move', tag: 'tasks', summary: 'Drag and drop: put the task after `afterId` or before `beforeId` in column `status` (neither: at the end)', auth: 'required',
      params: TaskParams, body: TaskMove, status: 200, response: TaskView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body: { version, ...input }, ctx }) =>
        withEtag(ctx, tasks.moveTask(deps, actor, params.taskId, input, basedOnVersion(version, ctx.get('If-Match'))!)),
    }),
  ];
}
