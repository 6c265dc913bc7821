import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../core/config.js';
import { Client, registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { connectSocket, waitFor, type TestSocket } from '../support/socket.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** The Prometheus text format (0.0.4), strictly: any line it does not define fails the test, naming the line. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    const fail = (why: string) => {
      throw new Error(`line ${i + 1} ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      // Other comments are allowed and ignored; HELP and TYPE lines have a shape.
      if (!/^# (HELP|TYPE) /.test(line)) return;
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      if (!meta) return fail('is a malformed HELP or TYPE line');
      if (meta[1] === 'TYPE') {
        if (!TYPES.has(meta[3]!)) fail('has an unknown type');
        typed.set(meta[2]!, meta[3]!);
      }
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) return fail('is not a sample');
    const labels: Record<string, string> = {};
    let rest = match[2] ?? '';
    while (rest !== '') {
      const label = LABEL.exec(rest);
      if (!label) return fail('has malformed labels');
      if (Object.hasOwn(labels, label[1]!)) fail(`repeats the label ${label[1]}`);
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    // Values are Go floats: Inf and NaN in any case (prom-client writes an empty gauge as `Nan`).
    const raw = match[3]!;
    if (!/^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf|nan)$/i.test(raw)) fail('has a malformed value');
    const value = /^[-+]?inf$/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(raw) ? NaN : Number(raw);
    const name = match[1]!;
    const family = typed.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    if (!typed.has(family)) fail('belongs to no # TYPE');
    samples.push({ name, labels, value });
  });
  return samples;
}

/** The sum over samples named `name` whose labels include `labels`; 0 when there is none. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

const has = (samples: Sample[], name: string, labels: Record<string, string> = {}): boolean =>
  samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('GET /metrics', function () {
  let api: ApiServer;
  let owner: TestUser;
  let ana: TestUser;
  let projectId: string;
  const sockets: TestSocket[] = [];

  const scrape = async (server: ApiServer = api, token: string | null = TOKEN): Promise<Sample[]> => {
    const response = await fetch(`${server.url}/metrics`, token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await response.text());
  };
  const open = async (user: TestUser) => {
    const socket = await connectSocket(api.url, user.token);
    sockets.push(socket);
    return socket;
  };

  before(async function () {
    api = await startApi('sqlite', this, TEST_TUNING, { METRICS_TOKEN: TOKEN });
    [owner, ana] = [await registerUser(api), await registerUser(api)];
    projectId = (await owner.client.post('/api/projects', { name: 'Metrics' })).body.id;
    await owner.client.post(`/api/projects/${projectId}/members`, { email: ana.email, role: 'member' });
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  after(async () => api?.stop());

  it('answers 401 in the API error shape without the token or with a wrong one', async () => {
    for (const authorization of [null, `Bearer ${TOKEN.slice(0, -1)}x`, 'Bearer short', TOKEN, `Bearer ${TOKEN}${TOKEN}`]) {
      const reply = await new Client(api.url).request('GET', '/metrics', undefined, authorization === null ? {} : { Authorization: authorization });
      expect(reply.status, String(authorization)).to.equal(401);
      expect(reply.body.error).to.include({ code: 'unauthenticated' });
      expect(reply.body.error.message).to.be.a('string');
      expect(reply.body.error.details).to.deep.equal([]);
      expect(reply.headers.get('www-authenticate')).to.equal('Bearer');
    }
  });

  it('counts requests by route template, never by raw path', async () => {
    const route = { route: '/api/projects/:projectId/tasks' };
    const before = await scrape();
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Count ${i}` })).body.id);
    await owner.client.get(`/api/projects/${projectId}/tasks`);
    await owner.client.get(`/api/tasks/${created[0]}`);
    await owner.client.get(`/api/tasks/${created[0]}-nope`);
    await owner.client.get(`/no/such/${created[1]}`);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
    expect(delta('taskwire_http_requests_total', { method: 'POST', status: '201', ...route })).to.equal(3);
    expect(delta('taskwire_http_requests_total', { method: 'GET', status: '200', ...route })).to.equal(1);
    expect(delta('taskwire_http_request_duration_seconds_count', { method: 'POST', ...route })).to.equal(3);
    expect(delta('taskwire_http_request_duration_seconds_bucket', { method: 'POST', le: '+Inf', ...route })).to.equal(3);
    expect(delta('taskwire_http_requests_total', { method: 'GET', status: '200', route: '/api/tasks/:taskId' })).to.equal(1);
    expect(delta('taskwire_http_requests_total', { method: 'GET', status: '404', route: 'unmatched' })).to.equal(1);

    const routes = new Set(after.flatMap((s) => (s.labels.route === undefined ? [] : [s.labels.route])));
    expect(routes).to.include('/metrics');
    for (const label of routes) {
      expect(label === 'unmatched' || label.startsWith('/'), label).to.equal(true);
      for (const id of [projectId, owner.id, ...created]) expect(label, 'a raw id in a route label').not.to.include(id);
    }
  });

  it('follows open sockets and their subscriptions', async () => {
    const base = await scrape();
    const [sockets0, subs0] = [total(base, 'taskwire_sockets_open'), total(base, 'taskwire_socket_subscriptions')];
    const socket = await open(owner);
    expect(total(await scrape(), 'taskwire_sockets_open')).to.equal(sockets0 + 1);
    expect((await socket.subscribe(projectId)).ok).to.equal(true);
    expect(total(await scrape(), 'taskwire_socket_subscriptions')).to.equal(subs0 + 1);
    socket.close();
    await eventually(
      scrape,
      (s) => total(s, 'taskwire_sockets_open') === sockets0 && total(s, 'taskwire_socket_subscriptions') === subs0,
      2000,
      'the socket and its subscription gone from the gauges',
    );
  });

  it('observes fan-out lag for live changes and the size of each replay', async () => {
    const before = await scrape();
    const live = await open(ana);
    const { lastSeq } = await live.subscribe(projectId);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Live' });
    await waitFor(() => live.changes.length === 1, 2000, 'the live change');
    const afterLive = await scrape();
    expect(total(afterLive, 'taskwire_fanout_lag_seconds_count') - total(before, 'taskwire_fanout_lag_seconds_count')).to.equal(1);
    expect(total(afterLive, 'taskwire_fanout_lag_seconds_bucket', { le: '10' }) - total(before, 'taskwire_fanout_lag_seconds_bucket', { le: '10' })).to.equal(1);

    // A replay of the two changes since lastSeq - 1, then one live change on the same subscription.
    const back = await open(owner);
    await back.subscribe(projectId, lastSeq! - 1);
    await waitFor(() => back.changes.length === 2, 2000, 'the replay');
    const afterReplay = await scrape();
    expect(total(afterReplay, 'taskwire_feed_replay_changes_count') - total(afterLive, 'taskwire_feed_replay_changes_count')).to.equal(1);
    expect(total(afterReplay, 'taskwire_feed_replay_changes_sum') - total(afterLive, 'taskwire_feed_replay_changes_sum')).to.equal(2);
    // A subscribe without since asks nothing back: no replay.
    await (await open(owner)).subscribe(projectId);
    expect(total(await scrape(), 'taskwire_feed_replay_changes_count')).to.equal(total(afterReplay, 'taskwire_feed_replay_changes_count'));
  });

  it('reports the queue, job outcomes, deliveries and the process', async () => {
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'For Ana', assigneeId: ana.id });
    const samples = await eventually(
      scrape,
      (s) => total(s, 'taskwire_jobs_total', { outcome: 'completed' }) > 0 && total(s, 'taskwire_notification_deliveries_total', { channel: 'email', status: 'sent' }) > 0,
      3000,
      'a completed job and a sent email',
    );
    for (const state of ['waiting', 'delayed', 'active', 'failed']) expect(has(samples, 'taskwire_queue_jobs', { state }), state).to.equal(true);
    expect(has(samples, 'taskwire_jobs_total', { name: 'notify.deliver', outcome: 'completed' })).to.equal(true);
    expect(has(samples, 'process_cpu_user_seconds_total')).to.equal(true);
    expect(has(samples, 'nodejs_eventloop_lag_seconds')).to.equal(true);
  });

  it('is open without METRICS_TOKEN, counts per server, and stays out of the OpenAPI document', async function () {
    const openApi = await startApi('sqlite', this);
    try {
      const samples = await scrape(openApi, null);
      // A registry per server: none of the first server's requests show here.
      expect(total(samples, 'taskwire_http_requests_total', { route: '/api/projects/:projectId/tasks' })).to.equal(0);
      expect(has(samples, 'process_cpu_user_seconds_total')).to.equal(true);
      const doc = (await new Client(openApi.url).get('/api/openapi.json')).body as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).filter((path) => path.includes('metrics'))).to.deep.equal([]);
    } finally {
      await openApi.stop();
    }
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at boot', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'too-short' })).to.throw(ConfigError, /METRICS_TOKEN must be at least 16 characters/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).to.equal(TOKEN);
    expect(loadConfig({}).metricsToken).to.equal(null);
  });

  it('fails the parser on malformed lines', () => {
    for (const bad of ['# TYPE x counter\nx{a="1"} one', '# TYPE x counter\nx{a=1} 1', 'orphan 1', '# TYPE x counter\nx{a="1",a="2"} 1', '# TYPE x', '# TYPE x counter\nx{a="1"} 1 2 3']) {
      expect(() => parseExposition(bad), bad).to.throw(/line \d/);
    }
  });
});
