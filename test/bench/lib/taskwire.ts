// Starting a Taskwire server child for a scenario (optionally CPU-profiled):
// the embedded defaults, or with more environment (MONGODB_URI, REDIS_URL).

import { startChild, type BenchChild } from './child.js';
import type { Settings } from './settings.js';

export interface TaskwireChild {
  child: BenchChild;
  url: string;
  nofile: string | null;
}

/** children/taskwire-server.ts, with `env` (MONGODB_URI, REDIS_URL, ...) added to its configuration. */
export async function startTaskwire(settings: Pick<Settings, 'profile'>, label: string, env?: Record<string, string>): Promise<TaskwireChild> {
  const { child, info } = await startChild(`taskwire-${label}`, 'taskwire-server', env ? [JSON.stringify(env)] : [], settings.profile ? { profileName: `taskwire-${label}-${Date.now()}` } : {});
  if (!info.url) throw new Error('the Taskwire child did not report its URL');
  // startServer prints "localhost" only for a wildcard host; the bench binds 127.0.0.1.
  return { child, url: info.url.replace('localhost', '127.0.0.1'), nofile: info.nofile };
}
