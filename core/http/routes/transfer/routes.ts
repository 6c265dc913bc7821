import { Readable } from 'node:stream';
import { ProjectExport } from '../../../presenters/transfer.js';
import { exportProject } from '../../../services/export.js';
import { importProject, type ImportDeps } from '../../../services/import.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { IMPORT_BODY_LIMIT_BYTES, ImportResult, ProjectImport } from './schema.js';

export function transferRoutes(deps: ImportDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/export', tag: 'projects', summary: 'The whole project as one taskwire.project document, to download (admins)', auth: 'required',
      params: ProjectParams, status: 200, response: ProjectExport, errors: [401, 403, 404],
      handle: async ({ actor, params, ctx }) => {
        const exported = await exportProject(deps, actor, params.projectId);
        ctx.set('Content-Disposition', `attachment; filename="${exported.filename}"`);
        // Set before the body: a stream body would otherwise be sent as application/octet-stream.
        ctx.type = 'application/json';
        return Readable.from(exported.chunks);
      },
    }),
    route({
      method: 'post', path: '/api/projects/import', tag: 'projects', summary: 'A new project, owned by the caller, from an exported document (up to 50 MB)', auth: 'required',
      body: ProjectImport, status: 201, response: ImportResult, errors: [400, 401, 403, 413, 503], bodyLimitBytes: IMPORT_BODY_LIMIT_BYTES,
      handle: ({ actor, body }) => importProject(deps, actor, body),
    }),
  ];
}
