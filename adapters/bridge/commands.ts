// `/task` from a chat channel, whatever the platform: `connect` and `link`
// act on the chat account and the channel; everything else is the board
// grammar, run by the same commands service as in a Taskwire room, against the
// project the channel is linked to. What comes back says what to show and to
// whom; each adapter formats it for its platform.

import { chatHelpText, CHAT_USAGE, parseChatCommand, parseTaskCommand, WRITING_COMMANDS } from '../../core/domain/commands.js';
import type { Actor, EmbedActor } from '../../core/domain/actor.js';
import type { ChannelLink, ChatPlatform } from '../../core/domain/entities.js';
import { AppError } from '../../core/errors.js';
import type { ListedTask } from '../../core/presenters/command-reply.js';
import { chatActor } from '../../core/services/bridged.js';
import { runPluginCommand, runTaskCommand } from '../../core/services/commands.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import { createConnectCode } from '../../core/services/identities.js';
import { createLink } from '../../core/services/links.js';

export interface ChatCommandInput {
  platform: ChatPlatform;
  teamId: string;
  channelId: string;
  user: { id: string; name: string };
  /** What followed `/task`. */
  text: string;
}

export interface ChatReply {
  /** `channel`: the command changed something the channel should see; `private`: only its author sees it. */
  visibility: 'private' | 'channel';
  text: string;
  tasks?: ListedTask[];
  /** The project the tasks belong to (for links and buttons). */
  projectId?: string;
}

const NOT_CONNECTED = 'Connect your chat account to Taskwire first: run /task connect and open the link while signed in.';

/**
 * Anyone in a linked channel may read (list, help): they act as a viewer bound
 * to the linked project, as an embed token would, so a write is refused by the
 * same policy that guards the API.
 */
function channelReader(link: ChannelLink): EmbedActor {
  return { kind: 'embed', embedTokenId: `link:${link.id}`, projectId: link.projectId, maxRole: 'viewer', userId: null, verified: false };
}

export async function runChatCommand(deps: ServiceDeps, publicUrl: string, input: ChatCommandInput): Promise<ChatReply> {
  const chat = parseChatCommand(input.text);
  if (chat?.kind === 'connect') {
    const { code } = await createConnectCode(deps, { platform: input.platform, teamId: input.teamId, externalUserId: input.user.id, externalName: input.user.name });
    return { visibility: 'private', text: `Open this link while signed in to Taskwire to connect your account (it works once, for 10 minutes):\n${publicUrl}/connect?code=${encodeURIComponent(code)}` };
  }
  const actor = await chatActor(deps, input.platform, input.teamId, input.user.id);
  if (chat?.kind === 'link') return linkChannel(deps, actor, input, chat.project, chat.room);

  const parsed = parseTaskCommand(input.text, deps.now());
  const link = await deps.store.links.getByChannel(input.platform, input.teamId, input.channelId);
  if (parsed.ok && parsed.command.kind === 'help') {
    // The plugins enabled in the linked project add their sub-commands to the help.
    const extra = link && deps.pluginCommands ? await deps.pluginCommands.help(link.projectId) : [];
    return { visibility: 'private', text: [chatHelpText(), ...extra].join('\n') };
  }
  if (!link) return { visibility: 'private', text: `This channel is not linked to a Taskwire project yet.\n${CHAT_USAGE.link}` };
  const plugin = await runPluginCommand(deps, actor ?? channelReader(link), link.projectId, input.text);
  if (plugin) {
    return {
      visibility: plugin.ok && plugin.public ? 'channel' : 'private',
      text: !plugin.ok && !actor ? `${plugin.text}\n${NOT_CONNECTED}` : plugin.text,
      projectId: link.projectId,
    };
  }
  if (!parsed.ok) return { visibility: 'private', text: `${parsed.error.message}\nUsage: ${parsed.error.usage}` };
  const writes = WRITING_COMMANDS.has(parsed.command.kind);
  if (writes && !actor) return { visibility: 'private', text: NOT_CONNECTED };
  const runAs: Actor = actor ?? channelReader(link);
  const result = await runTaskCommand(deps, runAs, link.projectId, parsed.command);
  return {
    visibility: result.public ? 'channel' : 'private',
    text: !result.ok && !actor ? `${result.text}\n${NOT_CONNECTED}` : result.text,
    ...(result.tasks ? { tasks: result.tasks } : {}),
    projectId: link.projectId,
  };
}

/** `/task link <project> [room]`: the project by id or (case-insensitive) name among the caller's, the room by name. */
async function linkChannel(deps: ServiceDeps, actor: Actor | null, input: ChatCommandInput, projectRef: string, roomName: string | null): Promise<ChatReply> {
  if (!actor || actor.kind !== 'user') return { visibility: 'private', text: NOT_CONNECTED };
  const memberships = await deps.store.members.listByUser(actor.userId);
  const projects = (await Promise.all(memberships.map((m) => deps.store.projects.get(m.projectId)))).filter((p) => p !== null);
  const wanted = projectRef.toLowerCase();
  const matches = projects.filter((p) => p.id === projectRef || p.name.toLowerCase() === wanted);
  if (matches.length !== 1) {
    return { visibility: 'private', text: matches.length === 0 ? `You have no project called "${projectRef}".` : `Several of your projects are called "${projectRef}"; use its id.` };
  }
  const project = matches[0]!;
  const room = await deps.store.rooms.getByName(project.id, roomName ?? 'general');
  if (!room) return { visibility: 'private', text: `${project.name} has no room called "${roomName}".` };
  try {
    await createLink(deps, actor, project.id, { platform: input.platform, teamId: input.teamId, channelId: input.channelId, roomId: room.id });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { visibility: 'private', text: error.message };
    throw error;
  }
  return { visibility: 'channel', text: `This channel now mirrors #${room.name} of ${project.name}: messages go both ways.`, projectId: project.id };
}
