// One contract suite for the bridge's Platform port, run against every
// platform adapter talking to its platform's local double. Each entry starts
// the double and returns the Platform under test plus what the suite needs to
// look at the platform's side and to make it fail.

import type { Platform } from '../../../adapters/bridge/ports.js';
import { slackPlatformFor } from '../../../adapters/slack/adapter.js';
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
        missingChannelId: 'C0NOWHERE',
        stop: () => double.stop(),
      };
    },
  },
];
