// What an instance admin pastes into Slack to create the app: the manifest
// for this instance's PUBLIC_URL (the /task command, the events and
// interactivity URL, the shortcut, and exactly the scopes the adapter uses).

import type { Actor } from '../domain/actor.js';
import { requireInstanceAdmin } from './admin.js';

export function slackManifest(actor: Actor, publicUrl: string): Record<string, unknown> {
  requireInstanceAdmin(actor);
  const requestUrl = `${publicUrl}/slack/events`;
  return {
    display_information: { name: 'Taskwire', description: 'Tasks and rooms from Taskwire, in Slack', background_color: '#1f2937' },
    features: {
      bot_user: { display_name: 'Taskwire', always_online: true },
      slash_commands: [{ command: '/task', url: requestUrl, description: 'Create, list and move Taskwire tasks', usage_hint: 'add "Fix login" @ana due:friday | list mine | help', should_escape: false }],
      shortcuts: [{ name: 'Create task', type: 'message', callback_id: 'taskwire_create_task', description: 'Create a Taskwire task from this message' }],
    },
    oauth_config: {
      scopes: {
        bot: ['commands', 'chat:write', 'chat:write.customize', 'channels:history', 'groups:history', 'channels:read', 'groups:read', 'im:write', 'users:read'],
      },
    },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: ['message.channels', 'message.groups'] },
      interactivity: { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
