// Time windows of a profiled child (in its hrtime, the time base of V8 CPU
// profiles), saved beside its profiles as phases.json, so profile-summary.ts
// can report each scenario's share of the profile on its own.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchChild } from './child.js';

export interface PhaseWindow {
  name: string;
  startUs: number;
  endUs: number;
}

export class Phases {
  private readonly windows: PhaseWindow[] = [];
  private readonly child: BenchChild;

  constructor(child: BenchChild) {
    this.child = child;
  }

  /** Runs `work`, recording its window when the child is being profiled. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const dir = this.child.profileDir;
    if (!dir) return work();
    const startUs = await this.child.request<number>('hrtimeUs');
    try {
      return await work();
    } finally {
      const endUs = await this.child.request<number>('hrtimeUs');
      this.windows.push({ name, startUs, endUs });
      writeFileSync(join(dir, 'phases.json'), `${JSON.stringify(this.windows, null, 2)}\n`);
    }
  }
}
