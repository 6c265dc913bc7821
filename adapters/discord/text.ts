// Discord message text as room text: mentions become names (so nothing in a
// room pretends to ping), attachments become their name and URL.

export interface MentionNames {
  users: Map<string, string>;
  roles: Map<string, string>;
  channels: Map<string, string>;
}

export function fromDiscordText(content: string, names: MentionNames): string {
  return content
    .replace(/<@!?(\d+)>/g, (_m, id: string) => `@${names.users.get(id) ?? id}`)
    .replace(/<@&(\d+)>/g, (_m, id: string) => `@${names.roles.get(id) ?? 'role'}`)
    .replace(/<#(\d+)>/g, (_m, id: string) => `#${names.channels.get(id) ?? id}`)
    .replace(/<a?:(\w+):\d+>/g, ':$1:');
}
