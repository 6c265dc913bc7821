// What the Embed tab checks and writes out, without any DOM: the origins
// field (parsed and checked as the server does) and the copy-paste text for
// the host page and for the host's server (the JWT for verified identity).

type EmbedIdentity = 'anonymous' | 'verified';

export const MAX_ORIGINS = 20;

/**
 * One line of the origins field: the origin as browsers send it (https://intranet.example),
 * or why it is not one. The server checks the same rules.
 */
export function parseOrigin(line: string): { origin: string } | { error: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(line);
  if (!scheme && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(line)) return { error: `"${line}" must start with https:// (or http://)` };
  if (!scheme) {
    let guess = 'https://intranet.example';
    try {
      guess = new URL(`https://${line}`).origin;
    } catch {
      // Keep the generic example.
    }
    return { error: `"${line}" is not an origin: write it with its scheme, like ${guess}` };
  }
  let url: URL;
  try {
    url = new URL(line);
  } catch {
    return { error: `"${line}" is not a valid address` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `"${line}" must start with https:// (or http://)` };
  const rest = line.slice(scheme[0].length).replace(/\/$/, '');
  if (url.username || url.password || /[/?#]/.test(rest)) {
    return { error: `"${line}" has more than an origin: keep only scheme, host and port (${url.origin})` };
  }
  return { origin: url.origin };
}

/** The origins field, one per line: the origins, or the problems to show. */
export function parseOrigins(text: string): { origins: string[]; errors: string[] } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const origins: string[] = [];
  const errors: string[] = [];
  for (const line of lines) {
    const parsed = parseOrigin(line);
    if ('error' in parsed) errors.push(parsed.error);
    else if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  }
  if (!lines.length) errors.push('List at least one origin: the site that will show the widget.');
  if (origins.length > MAX_ORIGINS) errors.push(`At most ${MAX_ORIGINS} origins per token.`);
  return { origins, errors };
}

export function widgetSnippet(server: string, projectId: string, token: string, identity: EmbedIdentity = 'anonymous'): string {
  const userToken = identity === 'verified' ? ' user-token="JWT_FROM_YOUR_SERVER"' : '';
  return `<script type="module" src="${server}/widget.js"></script>\n<taskwire-widget server="${server}" project="${projectId}" token="${token}"${userToken}></taskwire-widget>`;
}

export function jwtExample(projectId: string): string {
  return `// On your server (Node, npm install jose), for the signed-in user, on every page view:
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.TASKWIRE_EMBED_SECRET); // the secret above
const userToken = await new SignJWT({ name: user.name, email: user.email }) // email is optional
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(String(user.id)) // your stable id for this person
  .setAudience('${projectId}') // this project
  .setIssuedAt()
  .setExpirationTime('10m') // at most 1 hour ahead
  .sign(secret);

// Put it on the element: <taskwire-widget ... user-token="\${userToken}"></taskwire-widget>`;
}
