// Where webhooks may send: http(s) URLs whose host resolves only to public
// addresses. Loopback, private, link-local, unique-local, multicast, carrier
// NAT, documentation and cloud metadata ranges are refused unless
// WEBHOOK_ALLOW_PRIVATE is set. The check runs at creation and again at each
// delivery, and the delivery connects to the address that was checked, so a
// DNS answer that changes in between (rebinding) cannot slip through.

import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv6');

export interface ResolvedTarget {
  url: URL;
  /** The vetted address to connect to, and its family. */
  address: string;
  family: 4 | 6;
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

function isBlocked(address: string, family: 4 | 6): boolean {
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Checks the URL's scheme and every address its host resolves to; resolves with the one to connect to. */
export async function vetUrl(raw: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError('must be an http or https URL');
  if (url.username || url.password) throw new UnsafeUrlError('must not carry a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  try {
    addresses = literal ? [{ address: host, family: literal }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UnsafeUrlError(`the host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`the host ${host} does not resolve`);
  if (!allowPrivate) {
    const refused = addresses.find((a) => isBlocked(a.address, a.family === 6 ? 6 : 4));
    if (refused) throw new UnsafeUrlError(`points to a private, loopback, link-local or metadata address (${refused.address}); such targets are refused`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
