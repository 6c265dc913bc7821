// Whether this node can serve: every part it depends on answers its ping.

export interface HealthPart {
  /** The field of the health report this part fills, e.g. "store". */
  name: string;
  /** Which implementation runs, e.g. "sqlite". */
  kind: string;
  ping(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  parts: Record<string, string>;
  failing: string[];
}

const PING_TIMEOUT_MS = 2000;

export async function checkHealth(parts: readonly HealthPart[]): Promise<HealthReport> {
  const results = await Promise.all(
    parts.map(async (part) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([part.ping(), timeout]);
        return null;
      } catch {
        return part.name;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failing = results.filter((name): name is string => name !== null);
  return {
    status: failing.length === 0 ? 'ok' : 'unavailable',
    parts: Object.fromEntries(parts.map((part) => [part.name, part.kind])),
    failing,
  };
}
