import { expect } from 'chai';
import { request } from 'node:http';
import { Client, registerUser, startApi, type ApiServer } from '../support/api.js';

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

/** fetch() refuses TRACE, so these go out on node:http. */
function rawRequest(method: string, url: string): Promise<{ status: number; allow: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: String(res.headers.allow ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

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

  it('answers a method a known path does not have with 405 and the methods it has in Allow, whatever the method', async () => {
    for (const method of ['TRACE', 'PUT', 'PATCH', 'PROPFIND']) {
      const reply = await rawRequest(method, `${api.url}/api/projects`);
      expect(reply.status, method).to.equal(405);
      expect(reply.allow.split(', ').sort(), method).to.deep.equal(['GET', 'HEAD', 'POST']);
      expect(JSON.parse(reply.body).error.message).to.include('allowed: ');
    }
    expect((await rawRequest('TRACE', `${api.url}/api/tasks/some-task`)).allow.split(', ').sort()).to.deep.equal(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect((await rawRequest('TRACE', `${api.url}/api/no-such-thing`)).status).to.equal(404);
    // A literal path belongs to its own route, not to a templated one that would also match it.
    const literal = await rawRequest('GET', `${api.url}/api/projects/import`);
    expect([literal.status, literal.allow]).to.deep.equal([405, 'POST']);
  });

  it('documents a 400 for every operation that takes parameters or a body, and refuses PATCH bodies that change nothing', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.parameters.length > 0 || op.requestBody) expect(Object.keys(op.responses), `${method} ${path}`).to.include('400');
      }
    }
    const user = await registerUser(api);
    const project = (await user.client.post('/api/projects', { name: 'Unchanged' })).body;
    for (const [path, body] of [['/api/me', undefined], ['/api/me', {}], [`/api/projects/${project.id}`, undefined], [`/api/projects/${project.id}`, {}]] as const) {
      const reply = await user.client.patch(path, body);
      expect(reply.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(reply.body.error.code).to.equal('validation_failed');
    }
    expect((await user.client.get(`/api/projects/${project.id}`)).body.updatedAt).to.equal(project.updatedAt);
    expect(doc.paths['/api/me']!.patch!.requestBody!.content['application/json'].schema).to.deep.include({ minProperties: 1 });
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
