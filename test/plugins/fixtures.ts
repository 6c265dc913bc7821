// Plugins written to a temporary folder outside the repository, loaded through
// PLUGINS the way an operator would: each is a plain ES module.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../support/tmp.js';

/** Writes `source` as <tmp>/<folder>/index.js and returns the path to put in PLUGINS. */
export function writePlugin(folder: string, source: string): string {
  const dir = join(makeTempDir('plugin'), folder);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.js');
  writeFileSync(file, source);
  return file;
}

/** The example of docs/plugins.md, exactly as the guide prints it. */
export function guideExample(): string {
  const guide = readFileSync(fileURLToPath(new URL('../../docs/plugins.md', import.meta.url)), 'utf8');
  const match = /<!-- example: hello\/index\.js -->\s*```js\n([\s\S]*?)```/.exec(guide);
  if (!match) throw new Error('docs/plugins.md has no example block for hello/index.js');
  return match[1]!;
}

/**
 * A hook whose behaviour the test steers through the project's settings:
 * `ok` posts in general, `throw` throws, `hang` never finishes (its 300 ms limit ends it).
 */
export const FLAKY = `
export default {
  name: 'flaky',
  version: '0.1.0',
  permissions: ['messages:write'],
  timeoutMs: 300,
  settings: { type: 'object', properties: { mode: { enum: ['ok', 'throw', 'hang'], default: 'ok' } }, additionalProperties: false },
  events: ['task.*'],
  async onChange(change, ctx) {
    if (ctx.settings.mode === 'throw') throw new Error('flaky is broken: ' + change.data.title);
    if (ctx.settings.mode === 'hang') await new Promise(() => {});
    await ctx.messages.post(ctx.generalRoomId, 'flaky saw ' + change.type + ' ' + change.data.title);
  },
};
`;

/** Declares no messages:write, and tries to post anyway. */
export const MUTE = `
export default {
  name: 'mute',
  version: '1.0.0',
  permissions: ['tasks:read'],
  events: ['task.created'],
  async onChange(change, ctx) {
    await ctx.messages.post(ctx.generalRoomId, 'mute should never be heard');
  },
  commands: {
    shout: { usage: '/task shout', description: 'tries to post', access: 'read', async run(ctx) { await ctx.messages.post(ctx.generalRoomId, 'shouting'); return { text: 'shouted' }; } },
  },
};
`;
