// The two servers S3/S5/S6 compare, each in its own child process, behind one
// interface: write one change whose data.title is `title`, read the last seq.
// Taskwire: a PATCH over REST on its one task. Bare: POST /emit with a change
// object of the same shape and size as Taskwire's (a task.updated carrying the task).

import { randomUUID } from 'node:crypto';
import { startChild, type BenchChild } from './child.js';
import { taskInput } from './fixtures.js';
import { call, createWorkspace, lastSeq, patchTask } from './rest.js';
import type { Settings } from './settings.js';
import { startTaskwire } from './taskwire.js';

export type ServerKind = 'taskwire' | 'bare';

export interface RealtimeTarget {
  kind: ServerKind;
  child: BenchChild;
  url: string;
  token: string;
  projectId: string;
  nofile: string | null;
  write(title: string): Promise<void>;
  lastSeq(): Promise<number>;
}

export async function startTarget(kind: ServerKind, settings: Pick<Settings, 'profile'>, label: string): Promise<RealtimeTarget> {
  return kind === 'taskwire' ? startTaskwireTarget(settings, label) : startBareTarget(settings, label);
}

async function startTaskwireTarget(settings: Pick<Settings, 'profile'>, label: string): Promise<RealtimeTarget> {
  const tw = await startTaskwire(settings, label);
  try {
    const ws = await createWorkspace(tw.url, 1);
    const task = ws.tasks[0]!;
    let version = task.version;
    return {
      kind: 'taskwire',
      child: tw.child,
      url: tw.url,
      token: ws.token,
      projectId: ws.projectId,
      nofile: tw.nofile,
      async write(title) {
        const result = await patchTask(ws, task.id, version, title);
        version = result.version;
        if (result.status !== 200) throw new Error(`PATCH conflicted (${result.status}) though writes are sequential`);
      },
      lastSeq: () => lastSeq(ws),
    };
  } catch (error) {
    await tw.child.stop();
    throw error;
  }
}

async function startBareTarget(settings: Pick<Settings, 'profile'>, label: string): Promise<RealtimeTarget> {
  // Profiled too with --profile, so a Taskwire phase can be set against the same phase on the bare server.
  const { child, info } = await startChild(`bare-socketio-${label}`, 'bare-socketio-server', [], settings.profile ? { profileName: `bare-socketio-${label}-${Date.now()}` } : {});
  const url = info.url!;
  const projectId = randomUUID();
  const userId = randomUUID();
  const created = new Date().toISOString();
  const task = { id: randomUUID(), projectId, number: 1, ...taskInput(0), assigneeId: null, dueAt: null, position: 'a0', version: 1, createdBy: userId, createdAt: created, updatedAt: created, completedAt: null };
  let seq = 0;
  return {
    kind: 'bare',
    child,
    url,
    token: `bare-${randomUUID()}`,
    projectId,
    nofile: info.nofile,
    async write(title) {
      seq++;
      const at = new Date().toISOString();
      const payload = { projectId, seq, type: 'task.updated', at, actorId: userId, data: { ...task, title, version: seq + 1, updatedAt: at } };
      const reply = await call('POST', `${url}/emit`, { body: { room: projectId, payload } });
      if (reply.status !== 204) throw new Error(`bare emit answered ${reply.status}`);
    },
    lastSeq: async () => seq,
  };
}
