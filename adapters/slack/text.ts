// Slack's message text as room text: Slack escapes &, < and > and writes
// links and mentions as <...> markup; a room shows plain text.

export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_m, target: string, label: string) => (target.startsWith('@') || target.startsWith('#') || target.startsWith('!') ? `@${label}` : `${label} (${target})`))
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
