// Summarizes V8 CPU profiles of a Taskwire child (npm run bench -- --profile
// runs the children with node --cpu-prof): self time by package or source
// folder, and the top functions by self time with their main caller. A child's
// folder holds one profile per thread (tsx's loader has its own); the busiest
// is the main thread. When the folder has phases.json (the bench's time
// windows, e.g. "S1 GET tasks", "S3 burst"), each phase is summarized on its own.
// Usage: tsx test/bench/profile-summary.ts FOLDER|FILE.cpuprofile [top]

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhaseWindow } from './lib/phases.js';
import { REPO_ROOT } from './lib/paths.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One sample: the node it hit, when (µs, hrtime base) and for how long. */
interface Sample {
  id: number;
  at: number;
  micros: number;
}

function place(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

/** node_modules/<pkg>, a repo folder (core/realtime), node internals, or V8's own buckets. */
function bucket(frame: CallFrame): string {
  const where = place(frame.url);
  if (!where) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (pkg) return pkg[1]!;
  if (where.startsWith('node:')) return 'node internals';
  const parts = where.split('/');
  return parts.slice(0, Math.min(2, parts.length - 1)).join('/') || where;
}

const label = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'} ${place(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`.trim();
const ms = (micros: number): string => `${(micros / 1000).toFixed(0).padStart(7)} ms`;
const share = (part: number, whole: number): string => `${(whole > 0 ? (100 * part) / whole : 0).toFixed(1).padStart(5)}%`;

class Profile {
  readonly byId: Map<number, ProfileNode>;
  readonly parentOf = new Map<number, number>();
  readonly samples: Sample[] = [];
  readonly idle = new Set<number>();

  constructor(readonly file: string) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    this.byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) this.parentOf.set(child, node.id);
      if (node.callFrame.functionName === '(idle)') this.idle.add(node.id);
    }
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const micros = profile.timeDeltas[i] ?? 0;
      at += micros;
      this.samples.push({ id, at, micros });
    });
  }

  busy(samples: Sample[] = this.samples): number {
    return samples.reduce((sum, s) => sum + (this.idle.has(s.id) ? 0 : s.micros), 0);
  }

  summary(title: string, samples: Sample[], top: number): string {
    const total = samples.reduce((sum, s) => sum + s.micros, 0);
    const busy = this.busy(samples);
    const functions = new Map<string, number>();
    const callers = new Map<string, Map<string, number>>();
    const buckets = new Map<string, number>();
    for (const { id, micros } of samples) {
      if (this.idle.has(id)) continue;
      const frame = this.byId.get(id)!.callFrame;
      const name = label(frame);
      functions.set(name, (functions.get(name) ?? 0) + micros);
      buckets.set(bucket(frame), (buckets.get(bucket(frame)) ?? 0) + micros);
      const parent = this.byId.get(this.parentOf.get(id) ?? -1);
      if (!parent) continue;
      let byCaller = callers.get(name);
      if (!byCaller) callers.set(name, (byCaller = new Map()));
      byCaller.set(label(parent.callFrame), (byCaller.get(label(parent.callFrame)) ?? 0) + micros);
    }
    const caller = (name: string) => {
      const best = [...(callers.get(name)?.entries() ?? [])].sort((a, b) => b[1] - a[1])[0];
      return best ? `  ← ${best[0]} (${share(best[1], functions.get(name)!).trim()})` : '';
    };
    const list = (map: Map<string, number>, n: number, withCaller: boolean) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, micros]) => `  ${ms(micros)} ${share(micros, busy)} of busy  ${name}${withCaller ? caller(name) : ''}`);
    return [
      `${title}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${share(busy, total).trim()}), ${((total - busy) / 1e6).toFixed(1)} s idle`,
      '  self time by package or folder:',
      ...list(buckets, 12, false).map((line) => `  ${line}`),
      `  top ${top} functions by self time (← main caller):`,
      ...list(functions, top, true).map((line) => `  ${line}`),
    ].join('\n');
  }
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f));
}

export function summarizeProfiles(path: string, top = 25): string {
  const files = profilesIn(path);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  // The main thread is the busiest; tsx's loader thread is nearly idle once modules are loaded.
  const main = files.map((file) => new Profile(file)).sort((a, b) => b.busy() - a.busy())[0]!;
  const phasesFile = join(statSync(path).isDirectory() ? path : dirname(path), 'phases.json');
  const out = [main.summary(`${relative(REPO_ROOT, main.file)} (whole run)`, main.samples, top)];
  if (existsSync(phasesFile)) {
    const windows = JSON.parse(readFileSync(phasesFile, 'utf8')) as PhaseWindow[];
    for (const name of new Set(windows.map((w) => w.name))) {
      const mine = windows.filter((w) => w.name === name);
      const samples = main.samples.filter((s) => mine.some((w) => s.at >= w.startUs && s.at <= w.endUs));
      out.push(main.summary(`phase "${name}" (${mine.length} window${mine.length === 1 ? '' : 's'})`, samples, top));
    }
  }
  return out.join('\n\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    console.error('usage: tsx test/bench/profile-summary.ts FOLDER|FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarizeProfiles(path, top ? Number(top) : 25));
}
