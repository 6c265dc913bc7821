// Plugins' `/task` sub-commands, for every surface that runs `/task` (room
// chat, Slack, Discord) through the commands service. The caller's role is
// checked here, before the plugin's code runs; the plugin then acts as its bot.

import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/entities.js';
import { AppError } from '../errors.js';
import type { PluginCommandPort, ServiceDeps } from '../services/deps.js';
import { projectAccess } from '../services/access.js';
import { enabledState } from '../services/plugins.js';
import { requestContext, withinTime } from './context.js';
import type { PluginRegistry } from './registry.js';
import type { ActingPerson } from './sdk.js';

const MAX_REPLY = 4000;

export async function personOf(deps: ServiceDeps, actor: Actor, role: Role | null): Promise<ActingPerson | null> {
  if (!actor.userId || !role) return null;
  const user = await deps.store.users.get(actor.userId);
  return user ? { userId: user.id, name: user.name, role } : null;
}

export function pluginCommands(deps: ServiceDeps, registry: PluginRegistry): PluginCommandPort {
  return {
    has: (name) => registry.commandOwner(name) !== null,
    list: () => registry.list().flatMap((plugin) => [...plugin.commands].map(([name, c]) => ({ name, usage: c.usage, description: c.description }))),

    async help(projectId, name) {
      const states = new Map((await deps.store.pluginStates.listByProject(projectId)).map((s) => [s.name, s]));
      return registry
        .list()
        .filter((plugin) => states.get(plugin.name)?.enabled)
        .flatMap((plugin) => [...plugin.commands].filter(([command]) => !name || command === name).map(([, c]) => `${c.usage} - ${c.description}`));
    },

    async run(actor, projectId, name, args) {
      const plugin = registry.commandOwner(name)!;
      const command = plugin.commands.get(name.toLowerCase())!;
      try {
        const { subject } = await projectAccess(deps, actor, projectId, command.access === 'read' ? 'task.read' : 'task.write');
        const state = await enabledState(deps, plugin.name, projectId);
        if (!state) return { ok: false, text: `/task ${name} comes from the ${plugin.name} plugin, which is not enabled in this project; a project admin can enable it.`, public: false };
        const ctx = await requestContext({ deps, plugin, projectId, settings: state.settings, person: await personOf(deps, actor, subject.role) });
        const result = await withinTime(command.run(ctx, args), plugin.timeoutMs, plugin.name, `/task ${name}`);
        const text = typeof result?.text === 'string' && result.text.trim() ? result.text : 'Done.';
        return { ok: true, text: text.length > MAX_REPLY ? `${text.slice(0, MAX_REPLY - 1)}\u2026` : text, public: result?.public === true };
      } catch (error) {
        if (error instanceof AppError && error.status < 500) return { ok: false, text: error.message, public: false };
        deps.logger.error({ err: error, plugin: plugin.name, projectId, command: name }, 'a plugin command failed');
        return { ok: false, text: `The ${plugin.name} plugin could not run /task ${name}; try again later.`, public: false };
      }
    },
  };
}
