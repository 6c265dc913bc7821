import { expect } from 'chai';
import { Client, type Reply } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { killQuietly, startServerProcess, type StartedServer } from '../support/server-process.js';
import { makeTempDir } from '../support/tmp.js';
import { guideExample, writePlugin } from './fixtures.js';

async function allPages<T>(client: Client, path: (cursor: string | null) => string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Reply<{ items: T[]; nextCursor: string | null }> = await client.get(path(cursor));
    expect(page.status, JSON.stringify(page.body)).to.equal(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

describe('The plugin guide\'s example, loaded through PLUGINS from outside the repository', function () {
  this.timeout(120_000);
  let server: StartedServer | undefined;
  afterEach(() => killQuietly(server));

  it('greets each new task in general exactly once, also across a SIGKILL in the middle of a burst of 200 creations', async () => {
    const env = { DATA_DIR: makeTempDir('tw-example'), REGISTRATION: 'open', PLUGINS: writePlugin('hello', guideExample()) };
    server = await startServerProcess(env);
    const anon = new Client(server.url);
    const registered = await anon.post('/api/auth/register', { email: `owner.${Date.now()}@example.test`, name: 'Owner', password: 'correct horse battery' });
    expect(registered.status).to.equal(201);
    const owner = anon.as(registered.body.token as string);
    const projectId = (await owner.post('/api/projects', { name: 'Greetings' })).body.id as string;
    const generalId = (await owner.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
    const enabled = await owner.request('PUT', `/api/projects/${projectId}/plugins/hello`, { enabled: true, settings: { greeting: 'Fresh' } });
    expect(enabled.status, JSON.stringify(enabled.body)).to.equal(200);

    // 200 creations, 10 at a time; the server is killed once about half have been answered.
    let answered = 0;
    const burst = (async () => {
      for (let i = 0; i < 200; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, async (_, j) => {
            const reply = await owner.post(`/api/projects/${projectId}/tasks`, { title: `burst ${i + j}` }).catch(() => null);
            if (reply?.status === 201) answered += 1;
          }),
        );
        if (answered >= 100 && server!.child.exitCode === null) server!.child.kill('SIGKILL');
      }
    })();
    await burst;
    await server.exited;
    expect(answered).to.be.within(100, 199);

    server = await startServerProcess(env);
    const client = new Client(server.url, registered.body.token as string);
    const after = await client.post(`/api/projects/${projectId}/tasks`, { title: 'after the restart' });
    expect(after.status).to.equal(201);

    const tasks = await allPages<{ number: number; title: string }>(client, (c) => `/api/projects/${projectId}/tasks?limit=200${c ? `&cursor=${c}` : ''}`);
    expect(tasks.length).to.be.at.least(answered + 1);
    const expected = tasks.map((task) => `Fresh: #${task.number} ${task.title}`).sort();
    const greetings = async () =>
      (await allPages<{ text: string; authorName: string }>(client, (c) => `/api/rooms/${generalId}/messages?limit=200${c ? `&before=${c}` : ''}`)).filter((m) => m.text.startsWith('Fresh: '));
    await eventually(greetings, (found) => found.length >= expected.length, 60_000, 'a greeting for every task');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const found = await greetings();
    expect(found.map((m) => m.text).sort()).to.deep.equal(expected);
    expect(new Set(found.map((m) => m.authorName))).to.deep.equal(new Set(['Hello']));

    // Its command answers in room chat (to the person who typed it: it is not public), and /task help lists it.
    const asked = await client.post(`/api/rooms/${generalId}/messages`, { text: '/task hello Ana' });
    expect(asked.status).to.equal(201);
    expect(asked.body.commandReply).to.deep.equal({ ok: true, text: 'Hello Ana, from Owner!' });
    const help = await client.post(`/api/rooms/${generalId}/messages`, { text: '/task help' });
    expect(help.body.commandReply.text).to.include('/task hello <name> - say hello');
  });
});
