// Linux's count of connections dropped because a listen queue was full
// (TcpExt ListenOverflows, machine-wide): a reconnect storm that overflows the
// accept backlog waits for SYN retransmits (1 s, 3 s, ...), which shows as idle server time.

import { readFileSync } from 'node:fs';

export function listenOverflows(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/) ?? [];
    const at = names.indexOf('ListenOverflows');
    return at > 0 && values[at] !== undefined ? Number(values[at]) : null;
  } catch {
    return null;
  }
}
