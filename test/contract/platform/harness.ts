// One contract suite for the bridge's Platform port, run against every
// platform adapter talking to its platform's local double. Each entry starts
// the double and returns the Platform under test plus what the suite needs to
// look at the platform's side and to make it fail.

import type { Platform } from '../../../adapters/bridge/ports.js';
import { discordPlatformFor } from '../../../adapters/discord/adapter.js';
import { slackPlatformFor } from '../../../adapters/slack/adapter.js';
import { startDiscordDouble } from '../../support/discord.js';
import { startSlackDouble } from '../../support/slack.js';

export interface PlatformWorld {
  platform: Platform;
  teamId: string;
  channelId: string;
  userId: string;
  /** The channel's messages as the platform keeps them: id and text, oldest first. */
  messages(): { id: string; text: string }[];
  /** Direct messages and private replies the user got. */
  privateTexts(): string[];
  /** The platform answers the next calls with 429 and Retry-After for `forMs`. */
  rateLimit(retryAfterSeconds: number, forMs: number): void;
  /** The platform answers the next call with a server error. */
  serverError(): void;
  /** Whether the newest post could notify anyone (a mention the platform would act on). */
  lastPostCouldPing(): boolean;
  missingChannelId: string;
  stop(): Promise<void>;
}

export const PLATFORMS: { name: string; start(): Promise<PlatformWorld> }[] = [
  {
    name: 'slack',
    async start() {
      const double = await startSlackDouble();
      double.addUser({ id: 'U0CONTRACT', name: 'contract', realName: 'Contract Person' });
      double.addChannel({ id: 'C0CONTRACT', name: 'contract' });
      const platform = slackPlatformFor({ botToken: double.botToken, signingSecret: null, appToken: null, apiUrl: double.apiUrl });
      return {
        platform,
        teamId: double.teamId,
        channelId: 'C0CONTRACT',
        userId: 'U0CONTRACT',
        messages: () => double.history('C0CONTRACT').filter((m) => m.subtype !== 'message_deleted').map((m) => ({ id: m.ts, text: m.text ?? '' })),
        privateTexts: () => [
          ...double.ephemerals.filter((e) => e.user === 'U0CONTRACT').map((e) => e.text),
          ...double.callsOf('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D') && c.status === 200).map((c) => String(c.args.text)),
        ],
        rateLimit: (retryAfterSeconds, forMs) => double.rateLimit('*', { retryAfterSeconds, forMs }),
        serverError: () => double.failWith('*', { status: 503, times: 1 }),
        // Slack acts on <!channel>, <!here>, <@U…> markup; escaped text (&lt;…) is inert.
        lastPostCouldPing: () => /<[!@]/.test(String(double.callsOf('chat.postMessage').at(-1)?.args.text ?? '')),
        missingChannelId: 'C0NOWHERE',
        stop: () => double.stop(),
      };
    },
  },
  {
    name: 'discord',
    async start() {
      const double = await startDiscordDouble({ botToken: 'discord-contract-token.0123456789' });
      const channel = double.addChannel({ name: 'contract' });
      const user = { id: '500000000000000001', username: 'contract', global_name: 'Contract Person' };
      double.addUser(user);
      const dm = double.dmChannelWith(user);
      const platform = discordPlatformFor({ token: 'discord-contract-token.0123456789', applicationId: double.applicationId, publicKey: double.publicKeyHex, apiUrl: double.apiUrl });
      return {
        platform,
        teamId: double.guildId,
        channelId: channel.id,
        userId: user.id,
        messages: () => double.messages(channel.id).map((m) => ({ id: m.id, text: m.content })),
        privateTexts: () => double.messages(dm).map((m) => m.content),
        rateLimit: (retryAfterSeconds, forMs) => double.rateLimit('*', { retryAfterSeconds, forMs }),
        serverError: () => double.failWith('*', { status: 503, times: 1 }),
        // Discord pings only what allowed_mentions lets through; an empty parse list lets nothing through.
        lastPostCouldPing: () => {
          const body = double.calls.filter((c) => c.method === 'POST' && c.status < 300 && (c.route?.startsWith('/webhooks/') || c.route === '/channels/:channelId/messages')).at(-1)?.body as
            | { allowed_mentions?: { parse?: unknown[]; users?: unknown[]; roles?: unknown[] } }
            | undefined;
          const allowed = body?.allowed_mentions;
          return !allowed || (allowed.parse?.length ?? 0) > 0 || (allowed.users?.length ?? 0) > 0 || (allowed.roles?.length ?? 0) > 0;
        },
        missingChannelId: '500000000000009999',
        stop: () => double.stop(),
      };
    },
  },
];
