import { expect } from 'chai';
import { Client, startApi, type ApiServer } from '../support/api.js';

/** Every route of shared/API.md's sections this server implements: the document must have each. */
const CONTRACT_ROUTES = [
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/me',
  'PATCH /api/me',
  'POST /api/tokens',
  'GET /api/tokens',
  'DELETE /api/tokens/{tokenId}',
  'GET /api/projects',
  'POST /api/projects',
  'GET /api/projects/{projectId}',
  'PATCH /api/projects/{projectId}',
  'DELETE /api/projects/{projectId}',
  'GET /api/projects/{projectId}/members',
  'POST /api/projects/{projectId}/members',
  'PATCH /api/projects/{projectId}/members/{userId}',
  'DELETE /api/projects/{projectId}/members/{userId}',
  'GET /api/projects/{projectId}/tasks',
  'POST /api/projects/{projectId}/tasks',
  'GET /api/tasks/{taskId}',
  'PATCH /api/tasks/{taskId}',
  'DELETE /api/tasks/{taskId}',
  'POST /api/tasks/{taskId}/move',
  'GET /api/projects/{projectId}/rooms',
  'POST /api/projects/{projectId}/rooms',
  'POST /api/rooms/{roomId}/members',
  'DELETE /api/rooms/{roomId}/members/{userId}',
  'GET /api/rooms/{roomId}/messages',
  'POST /api/rooms/{roomId}/messages',
  'PATCH /api/messages/{messageId}',
  'DELETE /api/messages/{messageId}',
  'GET /api/projects/{projectId}/changes',
  'GET /api/projects/{projectId}/presence',
  'POST /api/projects/{projectId}/embed-tokens',
  'GET /api/projects/{projectId}/embed-tokens',
  'DELETE /api/projects/{projectId}/embed-tokens/{embedTokenId}',
  'GET /api/openapi.json',
];

interface Operation {
  parameters: { name: string; in: string }[];
  requestBody?: { content: { 'application/json': { schema: { type?: string; additionalProperties?: unknown } } } };
  responses: Record<string, { content?: { 'application/json': { schema: unknown } } }>;
}

describe('OpenAPI document', function () {
  let api: ApiServer;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
  before(async function () {
    api = await startApi('sqlite', this);
    const reply = await new Client(api.url).get('/api/openapi.json');
    expect(reply.status).to.equal(200);
    doc = reply.body;
  });
  after(async () => api?.stop());

  const documented = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

  it('is OpenAPI 3.1 and lists every route of the contract', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const missing = CONTRACT_ROUTES.filter((r) => !documented().includes(r));
    expect(missing, 'routes missing from the document').to.deep.equal([]);
  });

  it('lists no route that the server does not serve', async () => {
    const anon = new Client(api.url);
    const phantom: string[] = [];
    for (const route of documented()) {
      const [method, path] = route.split(' ') as [string, string];
      const reply = await anon.request(method, path.replace(/\{(\w+)\}/g, 'x-$1'), method === 'GET' || method === 'DELETE' ? undefined : {});
      // The router's fallback names the missing route; any other answer (401, 400, 404 not_found of a resource...) means it is served.
      if (reply.status === 404 && (reply.body?.error?.message ?? '').startsWith('No route for')) phantom.push(route);
      if (reply.status === 405) phantom.push(route);
    }
    expect(phantom, 'documented but not served').to.deep.equal([]);
    const unknown = await anon.get('/api/definitely-not-a-route');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.message).to.match(/^No route for/);
  });

  it('gives every route its path parameters, a response schema, and a closed request schema for bodies', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const label = `${method.toUpperCase()} ${path}`;
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), label).to.have.members(names);
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        expect(success, `${label} success response`).to.not.equal(undefined);
        if (success![0] !== '204') expect(success![1].content?.['application/json'].schema, `${label} response schema`).to.be.an('object');
        if (op.requestBody) {
          const schema = op.requestBody.content['application/json'].schema;
          if (schema.type === 'object') expect(schema.additionalProperties, `${label} rejects unknown fields`).to.equal(false);
        }
      }
    }
  });
});
