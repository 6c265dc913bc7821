import { expect } from 'chai';
import { PluginLoadError } from '../../core/plugins/manifest.js';
import { loadPlugins } from '../../core/plugins/registry.js';
import { startApi, STORE_KINDS, registerUser, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { spawnServer } from '../support/server-process.js';
import { makeTempDir } from '../support/tmp.js';
import { FLAKY, MUTE, writePlugin } from './fixtures.js';

interface Team {
  projectId: string;
  generalId: string;
  owner: TestUser;
  member: TestUser;
  viewer: TestUser;
  stranger: TestUser;
}

async function team(api: ApiServer): Promise<Team> {
  const [owner, member, viewer, stranger] = await Promise.all(['Owner', 'Mia Member', 'Vic Viewer', 'Stan Stranger'].map((n) => registerUser(api, n)));
  const projectId = (await owner!.client.post('/api/projects', { name: 'Plugins' })).body.id as string;
  for (const [user, role] of [[member, 'member'], [viewer, 'viewer']] as const) {
    expect((await owner!.client.post(`/api/projects/${projectId}/members`, { email: user!.email, role })).status).to.equal(201);
  }
  const generalId = (await owner!.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
  return { projectId, generalId, owner: owner!, member: member!, viewer: viewer!, stranger: stranger! };
}

const configure = (t: Team, user: TestUser, name: string, body: unknown) => user.client.request('PUT', `/api/projects/${t.projectId}/plugins/${name}`, body);
const stateOf = async (t: Team, name: string) => (await t.owner.client.get(`/api/projects/${t.projectId}/plugins/${name}`)).body;
const texts = async (t: Team, limit = 100): Promise<string[]> =>
  ((await t.owner.client.get(`/api/rooms/${t.generalId}/messages?limit=${limit}`)).body.items as { text: string }[]).map((m) => m.text).toReversed();

async function say(t: Team, user: TestUser, text: string): Promise<string> {
  const before = (await t.owner.client.get(`/api/rooms/${t.generalId}/messages?limit=1`)).body.items[0]?.id;
  const posted = await user.client.post(`/api/rooms/${t.generalId}/messages`, { text });
  expect(posted.status, JSON.stringify(posted.body)).to.equal(201);
  // A reply for its author alone comes back with the post; one for the room is posted right after the command.
  if (posted.body.commandReply) return posted.body.commandReply.text as string;
  const items = (await t.owner.client.get(`/api/rooms/${t.generalId}/messages?limit=2`)).body.items as { id: string; text: string; authorId: string }[];
  expect(items[1]?.id, 'the command was the message before the reply').to.equal(posted.body.id);
  expect(items[0]!.id).to.not.equal(before);
  return items[0]!.text;
}

for (const kind of STORE_KINDS) {
  describe(`Plugins [${kind}]`, function () {
    const api = {} as ApiServer;
    let t: Team;
    before(async function () {
      this.timeout(600_000);
      const plugins = [writePlugin('flaky', FLAKY), writePlugin('mute', MUTE)].join(',');
      Object.assign(api, await startApi(kind, this, TEST_TUNING, { PLUGINS: plugins }));
    });
    after(async () => api.stop?.());
    beforeEach(async () => {
      t = await team(api);
    });

    it('lists the installed plugins with their schemas; admins enable and configure them per project, and nobody else can', async () => {
      const installed = await t.viewer.client.get('/api/plugins');
      expect(installed.status).to.equal(200);
      const names = installed.body.items.map((p: { name: string }) => p.name);
      expect(names).to.include.members(['time-tracking', 'flaky', 'mute']);
      const timeTracking = installed.body.items.find((p: { name: string }) => p.name === 'time-tracking');
      expect(timeTracking.settingsSchema.properties.roundTimerTo.enum).to.deep.equal([1, 5, 15]);
      expect(timeTracking.commands.map((c: { name: string }) => c.name)).to.have.members(['time', 'estimate']);
      expect(timeTracking.fieldSchema.required).to.include('entries');
      expect(timeTracking.panel).to.deep.include({ url: '/plugins/time-tracking/panel.js', tag: 'taskwire-time-tracking' });
      expect((await api.server.store.pluginStates.listByProject(t.projectId)).length).to.equal(0);

      const off = await t.viewer.client.get(`/api/projects/${t.projectId}/plugins`);
      expect(off.body.items.find((p: { name: string }) => p.name === 'flaky')).to.deep.equal({ name: 'flaky', enabled: false, settings: null, status: 'disabled', lastError: null, failingSince: null });

      const enabled = await configure(t, t.owner, 'flaky', { enabled: true, settings: { mode: 'ok' } });
      expect(enabled.status, JSON.stringify(enabled.body)).to.equal(200);
      expect(enabled.body).to.deep.include({ name: 'flaky', enabled: true, status: 'ok', settings: { mode: 'ok' } });

      // Bad settings: 400 naming each problem, and nothing changes.
      const bad = await configure(t, t.owner, 'flaky', { enabled: true, settings: { mode: 'loud', volume: 11 } });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal('validation_failed');
      const paths = bad.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(['settings.mode', 'settings.volume']);
      expect((await stateOf(t, 'flaky')).settings).to.deep.equal({ mode: 'ok' });
      expect((await configure(t, t.owner, 'flaky', { enabled: 'yes' })).status).to.equal(400);
      expect((await configure(t, t.owner, 'nope', { enabled: true })).status).to.equal(404);

      // Viewers and members may see that it is on, not its settings; they and strangers cannot change it.
      const seen = await t.viewer.client.get(`/api/projects/${t.projectId}/plugins/flaky`);
      expect(seen.body).to.deep.include({ enabled: true, status: 'ok', settings: null });
      expect((await configure(t, t.viewer, 'flaky', { enabled: false })).status).to.equal(403);
      expect((await configure(t, t.member, 'flaky', { enabled: false })).status).to.equal(403);
      expect((await configure(t, t.stranger, 'flaky', { enabled: false })).status).to.equal(404);
      expect((await t.stranger.client.get(`/api/projects/${t.projectId}/plugins`)).status).to.equal(404);
      expect((await stateOf(t, 'flaky')).enabled).to.equal(true);

      // Settings left out stay; the feed says what changed, without the settings.
      const disabled = await configure(t, t.owner, 'flaky', { enabled: false });
      expect(disabled.body).to.deep.include({ enabled: false, status: 'disabled', settings: { mode: 'ok' } });
      const feed = (await t.viewer.client.get(`/api/projects/${t.projectId}/changes?since=0`)).body.changes.filter((c: { type: string }) => c.type === 'plugin.updated');
      expect(feed.map((c: { data: unknown }) => c.data)).to.deep.equal([
        { name: 'flaky', enabled: true, status: 'ok' },
        { name: 'flaky', enabled: false, status: 'disabled' },
      ]);
    });

    it('hooks hear each change once, in feed order; a throwing or hanging hook never fails the write, shows failing with its error, and recovers', async function () {
      this.timeout(60_000);
      expect((await configure(t, t.owner, 'flaky', { enabled: true, settings: { mode: 'throw' } })).status).to.equal(200);
      const titles = ['one', 'two', 'three', 'four'];
      for (const title of titles) {
        const created = await t.member.client.post(`/api/projects/${t.projectId}/tasks`, { title });
        expect(created.status).to.equal(201);
      }
      const failing = await eventually(() => stateOf(t, 'flaky'), (s) => s.status === 'failing', 15_000, 'flaky marked failing');
      expect(failing.lastError).to.match(/task\.created #\d+: flaky is broken: one/);
      expect(failing.failingSince).to.be.a('string');
      expect(await texts(t)).to.not.satisfy((all: string[]) => all.some((x) => x.startsWith('flaky saw')));

      // A hook past its time limit fails the same way.
      expect((await configure(t, t.owner, 'flaky', { enabled: true, settings: { mode: 'hang' } })).status).to.equal(200);
      await eventually(() => stateOf(t, 'flaky'), (s) => /did not finish within 300 ms/.test(s.lastError ?? ''), 15_000, 'the time limit reported');
      const write = await t.member.client.post(`/api/projects/${t.projectId}/tasks`, { title: 'five' });
      expect(write.status).to.equal(201);

      // Fixed: everything that waited arrives, once each, in feed order, and the plugin is ok again.
      expect((await configure(t, t.owner, 'flaky', { enabled: true, settings: { mode: 'ok' } })).status).to.equal(200);
      const expected = [...titles, 'five'].map((title) => `flaky saw task.created ${title}`);
      await eventually(() => texts(t), (all) => all.filter((x) => x.startsWith('flaky saw')).length >= expected.length, 20_000, 'the waiting changes delivered');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await texts(t)).filter((x) => x.startsWith('flaky saw'))).to.deep.equal(expected);
      const recovered = await stateOf(t, 'flaky');
      expect(recovered).to.deep.include({ status: 'ok', lastError: null, failingSince: null });
    });

    it('refuses a plugin what it did not declare inside ctx: nothing is posted, and the error is shown', async function () {
      this.timeout(30_000);
      expect((await configure(t, t.owner, 'mute', { enabled: true })).status).to.equal(200);
      expect((await t.member.client.post(`/api/projects/${t.projectId}/tasks`, { title: 'quiet please' })).status).to.equal(201);
      const state = await eventually(() => stateOf(t, 'mute'), (s) => s.status === 'failing', 15_000, 'mute failing');
      expect(state.lastError).to.include('needs the messages:write permission');
      const reply = await say(t, t.member, '/task shout');
      expect(reply).to.include('needs the messages:write permission');
      const all = await texts(t);
      expect(all.filter((x) => x === 'mute should never be heard' || x === 'shouting')).to.deep.equal([]);
    });

    it('runs /task time in room chat: logs time, shows the total and the report, and keeps to roles', async function () {
      this.timeout(30_000);
      const task = (await t.member.client.post(`/api/projects/${t.projectId}/tasks`, { title: 'Write the guide' })).body;
      const n = task.number as number;
      expect(await say(t, t.member, `/task time ${n} 1h30m`)).to.include('not enabled in this project');
      expect((await configure(t, t.owner, 'time-tracking', { enabled: true })).status).to.equal(200);

      expect(await say(t, t.member, '/task help')).to.include('/task time <number> [duration]');
      expect(await say(t, t.member, `/task time ${n} 1h30m`)).to.equal(`Logged 1h30m on #${n} Write the guide (you: 1h30m in all).`);
      expect(await say(t, t.owner, `/task time ${n} 45m`)).to.include('Logged 45m');
      expect(await say(t, t.member, `/task time ${n} soon`)).to.include('is not a duration');
      expect(await say(t, t.member, `/task estimate ${n} 3h`)).to.equal(`#${n} is estimated at 3h.`);
      expect(await say(t, t.member, `/task time ${n}`)).to.equal(`#${n} Write the guide: 2h15m logged of 3h estimated\n- Mia Member: 1h30m\n- Owner: 45m`);

      const stored = (await t.viewer.client.get(`/api/tasks/${task.id}`)).body.fields['time-tracking'];
      expect(stored.estimateMinutes).to.equal(180);
      expect(stored.entries.map((e: { userId: string; minutes: number; source: string }) => [e.userId, e.minutes, e.source])).to.deep.equal([
        [t.member.id, 90, 'command'],
        [t.owner.id, 45, 'command'],
      ]);

      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const report = await t.viewer.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=${from}&to=${to}`);
      expect(report.status, JSON.stringify(report.body)).to.equal(200);
      expect(report.body.totalMinutes).to.equal(135);
      expect(report.body.tasks).to.have.length(1);
      expect(report.body.tasks[0]).to.deep.include({ taskId: task.id, number: n, totalMinutes: 135, estimateMinutes: 180 });
      expect(report.body.people).to.deep.equal([
        { userId: t.member.id, name: 'Mia Member', minutes: 90 },
        { userId: t.owner.id, name: 'Owner', minutes: 45 },
      ]);
      const earlier = await t.viewer.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
      expect(earlier.body).to.deep.include({ totalMinutes: 0, tasks: [], people: [] });
      const missing = await t.viewer.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=${from}`);
      expect(missing.status).to.equal(400);
      expect(missing.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['to']);
      const badQuery = await t.viewer.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=yesterday&to=${to}&extra=1`);
      expect(badQuery.status).to.equal(400);
      expect(badQuery.body.error.details.map((d: { path: string }) => d.path)).to.have.members(['from', 'extra']);
      const backwards = await t.viewer.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=${to}&to=${from}`);
      expect(backwards.status).to.equal(400);
      expect(backwards.body.error.message).to.equal('to must be after from.');
      expect((await t.stranger.client.get(`/api/plugins/time-tracking/projects/${t.projectId}/report?from=${from}&to=${to}`)).status).to.equal(404);

      // The panel's routes: the timer, an entry, a bad body, a viewer.
      const timer = (action: string, user = t.member) => user.client.post(`/api/plugins/time-tracking/tasks/${task.id}/timer`, { action });
      expect((await timer('start')).status).to.equal(200);
      expect((await timer('start')).status).to.equal(409);
      const stopped = await timer('stop');
      expect(stopped.status).to.equal(200);
      expect(stopped.body.entries.at(-1)).to.deep.include({ userId: t.member.id, minutes: 1, source: 'timer' });
      expect((await timer('start', t.viewer)).status).to.equal(403);
      expect((await t.member.client.post(`/api/plugins/time-tracking/tasks/${task.id}/timer`, { action: 'pause' })).status).to.equal(400);
      expect((await t.member.client.post(`/api/plugins/time-tracking/tasks/${task.id}/entries`, { duration: '20m', extra: 1 })).status).to.equal(400);
      const logged = await t.member.client.post(`/api/plugins/time-tracking/tasks/${task.id}/entries`, { duration: '20m' });
      expect(logged.status).to.equal(200);
      const entryId = logged.body.entries.at(-1).id as string;
      expect((await t.owner.client.delete(`/api/plugins/time-tracking/tasks/${task.id}/entries/${entryId}`)).status).to.equal(403);
      expect((await t.member.client.delete(`/api/plugins/time-tracking/tasks/${task.id}/entries/${entryId}`)).status).to.equal(200);

      // Switched off, its commands say so and its routes are gone for the project.
      expect((await configure(t, t.owner, 'time-tracking', { enabled: false })).status).to.equal(200);
      expect(await say(t, t.member, `/task time ${n} 1h`)).to.include('not enabled in this project');
      expect((await timer('start')).status).to.equal(404);
      expect(await say(t, t.member, '/task help')).to.not.include('/task time');
    });

    it('describes the plugins\' task fields and routes in the OpenAPI document, and serves panels to any origin', async () => {
      const doc = (await t.owner.client.get('/api/openapi.json')).body;
      const taskSchema = doc.paths['/api/tasks/{taskId}'].get.responses['200'].content['application/json'].schema;
      expect(taskSchema.properties.fields.properties['time-tracking'].required).to.deep.equal(['estimateMinutes', 'entries', 'timers']);
      expect(JSON.stringify(doc)).to.not.include('x-taskwire-plugin-fields');
      const report = doc.paths['/api/plugins/time-tracking/projects/{projectId}/report'].get;
      expect(report.parameters.find((p: { name: string }) => p.name === 'from')).to.deep.include({ in: 'query', required: true });
      expect(doc.paths['/api/projects/{projectId}/plugins/{name}'].put).to.be.an('object');

      const panel = await fetch(`${api.url}/plugins/time-tracking/panel.js`, { headers: { Origin: 'https://intranet.example' } });
      expect(panel.status).to.equal(200);
      expect(panel.headers.get('content-type')).to.match(/^text\/javascript/);
      expect(panel.headers.get('access-control-allow-origin')).to.equal('*');
      expect(await panel.text()).to.include("customElements.define('taskwire-time-tracking'");
      expect((await fetch(`${api.url}/plugins/flaky/panel.js`)).status).to.equal(404);
    });
  });
}

describe('Plugin loading', () => {
  it('refuses a plugin command that would shadow the grammar, and one taken by another plugin', async () => {
    const shadow = writePlugin('shadow', `export default { name: 'shadow', version: '1.0.0', commands: { add: { usage: '/task add', description: 'x', async run() { return { text: '' }; } } } };`);
    const error = await loadPlugins({ specifiers: [shadow], builtins: false }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PluginLoadError);
    expect((error as Error).message).to.equal(`Plugin "shadow" (${shadow}): the command "add" would shadow the built-in /task add`);
    const twin = writePlugin('twin', `export default { name: 'twin', version: '1.0.0', permissions: ['tasks:read', 'tasks:write'], commands: { time: { usage: '/task time', description: 'x', async run() { return { text: '' }; } } } };`);
    const taken = await loadPlugins({ specifiers: [twin] }).catch((e: unknown) => e);
    expect((taken as Error).message).to.include('the command "time" is already added by the plugin "time-tracking"');
    const loaded = await loadPlugins({ specifiers: [] });
    expect(loaded.list().map((p) => p.name)).to.deep.equal(['time-tracking']);
  });

  it('rejects bad manifests with one message naming the plugin and the problem', async () => {
    const cases: [string, string, RegExp][] = [
      ['v', `export default { name: 'v', version: '1' };`, /name must be 2 to 40/],
      ['badver', `export default { name: 'badver', version: 'one' };`, /^Plugin "badver" .*version must be a semantic version/],
      ['perm', `export default { name: 'perm', version: '1.0.0', permissions: ['everything'] };`, /permissions\.0 must be one of tasks:read/],
      ['schema', `export default { name: 'schema', version: '1.0.0', settings: { type: 'object', properties: { a: { type: 'strng' } } } };`, /settings is not a valid JSON Schema/],
      ['event', `export default { name: 'event', version: '1.0.0', events: ['task.exploded'], async onChange() {} };`, /events\.0 is not a known change type/],
      ['extra', `export default { name: 'extra', version: '1.0.0', sudo: true };`, /Unrecognized key: "sudo"/],
      ['nodefault', `export const plugin = {};`, /must default-export the plugin object/],
      ['broken', `export default {`, /the module could not be loaded/],
    ];
    for (const [folder, source, message] of cases) {
      const error = await loadPlugins({ specifiers: [writePlugin(folder, source)], builtins: false }).catch((e: unknown) => e);
      expect(error, folder).to.be.instanceOf(PluginLoadError);
      expect((error as Error).message, folder).to.match(message);
    }
  });

  it('stops the boot with exit code 2 and one line naming the plugin, like a bad variable', async function () {
    this.timeout(30_000);
    const bad = writePlugin('badver', `export default { name: 'badver', version: 'one' };`);
    const server = spawnServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: makeTempDir('tw-badplugin'), PLUGINS: bad });
    expect(await server.exited).to.equal(2);
    const { stderr, stdout } = server.output();
    expect(stderr.trim()).to.equal(`Taskwire cannot start: Plugin "badver" (${bad}): version must be a semantic version like 1.0.0`);
    expect(stdout).to.not.include('live at');
  });
});
