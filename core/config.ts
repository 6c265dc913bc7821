// The only reader of process.env. Every variable of the operating contract
// (shared/API.md) is parsed and checked here at boot; all problems are
// collected and reported together so an operator fixes them in one go.

import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function urlWithSchemes(schemes: readonly string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a ${schemes.join(' or ')} URL, like ${example}` },
  );
}

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const port = z
  .string()
  .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .refine((value) => value <= 65535, 'must be a whole number from 0 to 65535');

const mailbox = z
  .string()
  .regex(/^(?:[^<>@\s][^<>@]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/, 'must be an address like "Taskwire <bot@example.com>" or bot@example.com');

const EnvSchema = z
  .object({
    PORT: optional(port),
    HOST: optional(z.string().min(1)),
    DATA_DIR: optional(z.string().min(1)),
    PUBLIC_URL: optional(urlWithSchemes(['http', 'https'], 'https://taskwire.example.com')),
    TRUST_PROXY: optional(z.string().regex(/^\d$/, 'must be the number of reverse proxies in front of Taskwire, 0 to 9').transform(Number)),
    MONGODB_URI: optional(urlWithSchemes(['mongodb', 'mongodb+srv'], 'mongodb://localhost:27017/taskwire')),
    REDIS_URL: optional(urlWithSchemes(['redis', 'rediss'], 'redis://localhost:6379')),
    SMTP_URL: optional(urlWithSchemes(['smtp', 'smtps'], 'smtp://user:pass@mail.example.com:587')),
    MAIL_FROM: optional(mailbox),
    SECRET_KEY: optional(z.string().min(32, 'must be at least 32 characters of random key material')),
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (a random token for the scraper)')),
    LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
    SLACK_SIGNING_SECRET: optional(z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hexadecimal signing secret from the Slack app page')),
    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-[\w-]+$/, 'must be a bot token starting with xoxb-')),
    SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-[\w-]+$/, 'must be an app-level token starting with xapp-')),
    SLACK_API_URL: optional(urlWithSchemes(['http', 'https'], 'https://slack.com/api/')),
    DISCORD_TOKEN: optional(z.string().regex(/^[\w.-]{20,}$/, 'must be a Discord bot token')),
    DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{15,22}$/, 'must be the numeric application id (a snowflake)')),
    DISCORD_PUBLIC_KEY: optional(z.string().regex(/^[0-9a-f]{64}$/i, 'must be the 64 hexadecimal characters of the Ed25519 public key')),
    DISCORD_API_URL: optional(urlWithSchemes(['http', 'https'], 'https://discord.com/api')),
    REGISTRATION: optional(z.enum(['open', 'invite', 'closed'], { message: 'must be open, invite or closed' })),
    LIST_CACHE_MB: optional(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number of megabytes from 0 to 4096 (0 keeps no list pages)')
        .transform(Number)
        .refine((value) => value <= 4096, 'must be a whole number of megabytes from 0 to 4096 (0 keeps no list pages)'),
    ),
    WEBHOOK_ALLOW_PRIVATE: optional(z.enum(['true', 'false'], { message: 'must be true or false' })),
    PLUGINS: optional(
      z
        .string()
        .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
        .refine((entries) => entries.every((entry) => !/\s/.test(entry)), 'must be comma-separated module names or paths without spaces'),
    ),
  });

/** Variables that only make sense together; checked on presence so they are reported even when another value is bad. */
function missingCompanions(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '') !== '';
  const problems: string[] = [];
  const need = (when: boolean, name: string, message: string) => {
    if (when && !set(name)) problems.push(`${name} ${message}`);
  };
  need(set('SLACK_BOT_TOKEN') && !set('SLACK_APP_TOKEN'), 'SLACK_SIGNING_SECRET', 'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  need(set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN'), 'SLACK_BOT_TOKEN', 'is required when the Slack adapter is configured');
  need(set('DISCORD_TOKEN'), 'DISCORD_APPLICATION_ID', 'is required with DISCORD_TOKEN');
  need(set('DISCORD_TOKEN'), 'DISCORD_PUBLIC_KEY', 'is required with DISCORD_TOKEN');
  need(set('DISCORD_APPLICATION_ID') || set('DISCORD_PUBLIC_KEY'), 'DISCORD_TOKEN', 'is required when the Discord adapter is configured');
  return problems;
}

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | null;
  /** Reverse proxies in front that append to X-Forwarded-For; the client address is read that many entries from its end. 0 ignores the header. */
  trustProxy: number;
  mongodbUri: string | null;
  redisUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  logLevel: LogLevel;
  /** The bearer token GET /metrics requires; null leaves /metrics open (keep it off the public proxy). */
  metricsToken: string | null;
  /** Who may sign up, until an instance admin changes it at run time. */
  registration: 'open' | 'invite' | 'closed';
  /** Webhooks may target loopback and private addresses (tests, a trusted network). */
  webhookAllowPrivate: boolean;
  /** Bytes of serialized list pages each node keeps for conditional GETs (LIST_CACHE_MB); 0 keeps none. */
  listCacheBytes: number;
  /** Seals stored secrets; null means a key file in dataDir (one node only). */
  secretKey: string | null;
  /** Plugin modules to load besides the built-ins: package names, or paths (relative ones from the working directory). */
  plugins: string[];
  slack: { signingSecret: string | null; botToken: string; appToken: string | null; apiUrl: string | null } | null;
  discord: { token: string; applicationId: string; publicKey: string; apiUrl: string | null } | null;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Taskwire cannot start: the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment into a Config, or throws one ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  // Secrets stay out of the messages; the variable's name and the rule are enough to fix it.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...missingCompanions(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir: resolve(e.DATA_DIR ?? './data'),
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    trustProxy: e.TRUST_PROXY ?? 0,
    mongodbUri: e.MONGODB_URI ?? null,
    redisUrl: e.REDIS_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? 'Taskwire <taskwire@localhost>',
    logLevel: e.LOG_LEVEL ?? 'info',
    metricsToken: e.METRICS_TOKEN ?? null,
    registration: e.REGISTRATION ?? 'invite',
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE === 'true',
    listCacheBytes: (e.LIST_CACHE_MB ?? 32) * 1024 * 1024,
    secretKey: e.SECRET_KEY ?? null,
    plugins: e.PLUGINS ?? [],
    slack: e.SLACK_BOT_TOKEN
      ? { signingSecret: e.SLACK_SIGNING_SECRET ?? null, botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN ?? null, apiUrl: e.SLACK_API_URL ?? null }
      : null,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID && e.DISCORD_PUBLIC_KEY
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, publicKey: e.DISCORD_PUBLIC_KEY, apiUrl: e.DISCORD_API_URL ?? null }
        : null,
  };
}
