// Versioned, forward-only schema migrations, applied at boot. Each runs in its
// own transaction and is recorded in schema_migrations, so a second boot (or
// a second process racing the first) applies nothing twice.
//
// Records are kept whole as JSON in `doc` so both stores hold the same shape;
// every field a query filters or sorts on is a generated column with an index.

import type { Database } from 'better-sqlite3';
import { ANALYTICS_BACKFILL, ANALYTICS_TABLES, ANALYTICS_TRIGGERS, TASK_FACTS_UPDATE_ONLY_ON_FACTS } from './analytics-schema.js';
import { entityTable } from './entity-table.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: [
      entityTable('users', { email: "doc->>'email'", external_ref: "doc->>'externalRef'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX users_email ON users(email);',
      'CREATE UNIQUE INDEX users_external_ref ON users(external_ref) WHERE external_ref IS NOT NULL;',
      'CREATE INDEX users_created ON users(created_at, id);',

      entityTable('tokens', { user_id: "doc->>'userId'", token_hash: "doc->>'tokenHash'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX tokens_hash ON tokens(token_hash);',
      'CREATE INDEX tokens_user ON tokens(user_id, created_at, id);',

      entityTable('projects', { created_at: "doc->>'createdAt'" }),

      entityTable('members', {
        project_id: "doc->>'projectId'",
        user_id: "doc->>'userId'",
        role: "doc->>'role'",
        created_at: "doc->>'createdAt'",
      }),
      'CREATE UNIQUE INDEX members_project_user ON members(project_id, user_id);',
      'CREATE INDEX members_project_created ON members(project_id, created_at, id);',
      'CREATE INDEX members_user ON members(user_id, created_at, id);',
      'CREATE INDEX members_project_role ON members(project_id, role);',

      entityTable('invites', { project_id: "doc->>'projectId'", email: "doc->>'email'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX invites_project_email ON invites(project_id, email);',
      'CREATE INDEX invites_email ON invites(email);',

      entityTable('tasks', {
        project_id: "doc->>'projectId'",
        number: "doc->>'number'",
        status: "doc->>'status'",
        position: "doc->>'position'",
        assignee_id: "doc->>'assigneeId'",
        due_at: "doc->>'dueAt'",
      }),
      'CREATE UNIQUE INDEX tasks_project_number ON tasks(project_id, number);',
      'CREATE INDEX tasks_board ON tasks(project_id, status, position, id);',
      'CREATE INDEX tasks_assignee ON tasks(project_id, assignee_id);',
      'CREATE INDEX tasks_due ON tasks(project_id, due_at);',

      entityTable('rooms', { project_id: "doc->>'projectId'", name: "doc->>'name'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX rooms_project_name ON rooms(project_id, name);',
      'CREATE INDEX rooms_project_created ON rooms(project_id, created_at, id);',

      entityTable('room_members', { room_id: "doc->>'roomId'", project_id: "doc->>'projectId'", user_id: "doc->>'userId'" }),
      'CREATE UNIQUE INDEX room_members_room_user ON room_members(room_id, user_id);',
      'CREATE INDEX room_members_project_user ON room_members(project_id, user_id);',

      entityTable('messages', { room_id: "doc->>'roomId'", created_at: "doc->>'createdAt'" }),
      'CREATE INDEX messages_room_created ON messages(room_id, created_at, id);',

      entityTable('embed_tokens', { project_id: "doc->>'projectId'", token_hash: "doc->>'tokenHash'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX embed_tokens_hash ON embed_tokens(token_hash);',
      'CREATE INDEX embed_tokens_project ON embed_tokens(project_id, created_at, id);',

      `CREATE TABLE feeds (
  scope TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL DEFAULT 0,
  task_counter INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;`,
      `CREATE TABLE changes (
  project_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  data TEXT NOT NULL,
  audience TEXT,
  PRIMARY KEY (project_id, seq)
) WITHOUT ROWID;`,
    ].join('\n'),
  },
  {
    version: 2,
    name: 'notifications, deliveries, outbox, feed cursors, jobs',
    sql: [
      entityTable('notifications', { user_id: "doc->>'userId'", created_at: "doc->>'createdAt'", read_at: "doc->>'readAt'" }),
      'CREATE INDEX notifications_user ON notifications(user_id, created_at, id);',
      'CREATE INDEX notifications_unread ON notifications(user_id, read_at);',

      entityTable('deliveries', {
        notification_id: "doc->>'notificationId'",
        status: "doc->>'status'",
        channel: "doc->>'channel'",
        created_at: "doc->>'createdAt'",
      }),
      'CREATE INDEX deliveries_notification ON deliveries(notification_id);',
      'CREATE INDEX deliveries_created ON deliveries(created_at, id);',
      'CREATE INDEX deliveries_status ON deliveries(status, created_at, id);',

      entityTable('outbox', { created_at: "doc->>'createdAt'" }),
      'CREATE INDEX outbox_created ON outbox(created_at, id);',

      entityTable('feed_cursors', {}),

      // Reminders across projects, for the reconciler.
      'CREATE INDEX tasks_due_all ON tasks(due_at, id) WHERE due_at IS NOT NULL;',
      'CREATE INDEX projects_created ON projects(created_at, id);',

      // The embedded queue: plain columns, since every claim filters and updates them.
      `CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL,
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  attempts_made INTEGER NOT NULL DEFAULT 0,
  backoff TEXT NOT NULL,
  last_error TEXT,
  failed INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER
);`,
      'CREATE INDEX jobs_due ON jobs(failed, run_at);',
    ].join('\n'),
  },
  {
    version: 3,
    name: 'one-time account links, instance settings, audit log, invite links',
    sql: [
      entityTable('auth_tokens', { token_hash: "doc->>'tokenHash'", user_id: "doc->>'userId'" }),
      'CREATE UNIQUE INDEX auth_tokens_hash ON auth_tokens(token_hash);',
      'CREATE INDEX auth_tokens_user ON auth_tokens(user_id);',
      entityTable('settings', {}),
      entityTable('audit', { created_at: "doc->>'createdAt'" }),
      'CREATE INDEX audit_created ON audit(created_at, id);',
      // Generated columns cannot be added to a table in place, so invites' link lookup reads the JSON directly.
      "CREATE UNIQUE INDEX invites_token ON invites(doc->>'tokenHash') WHERE doc->>'tokenHash' IS NOT NULL;",
      "CREATE INDEX users_name ON users(lower(doc->>'name'));",
    ].join('\n'),
  },
  {
    version: 4,
    name: 'chat bridges: links, identities, connect codes, message copies, seen events, link cursors',
    sql: [
      entityTable('links', {
        project_id: "doc->>'projectId'",
        room_id: "doc->>'roomId'",
        platform: "doc->>'platform'",
        team_id: "doc->>'teamId'",
        channel_id: "doc->>'channelId'",
        created_at: "doc->>'createdAt'",
      }),
      'CREATE UNIQUE INDEX links_channel ON links(platform, team_id, channel_id);',
      'CREATE INDEX links_room ON links(room_id);',
      'CREATE INDEX links_project ON links(project_id, created_at, id);',
      entityTable('identities', {
        user_id: "doc->>'userId'",
        platform: "doc->>'platform'",
        team_id: "doc->>'teamId'",
        external_user_id: "doc->>'externalUserId'",
        created_at: "doc->>'createdAt'",
      }),
      'CREATE UNIQUE INDEX identities_external ON identities(platform, team_id, external_user_id);',
      'CREATE INDEX identities_user ON identities(user_id, created_at, id);',
      entityTable('connect_codes', { code_hash: "doc->>'codeHash'" }),
      'CREATE UNIQUE INDEX connect_codes_hash ON connect_codes(code_hash);',
      entityTable('message_copies', {
        message_id: "doc->>'messageId'",
        link_id: "doc->>'linkId'",
        platform: "doc->>'platform'",
        channel_id: "doc->>'channelId'",
        external_id: "doc->>'externalId'",
      }),
      'CREATE UNIQUE INDEX message_copies_external ON message_copies(platform, channel_id, external_id);',
      'CREATE UNIQUE INDEX message_copies_link ON message_copies(link_id, message_id);',
      'CREATE INDEX message_copies_message ON message_copies(message_id);',
      entityTable('seen_events', {}),
      entityTable('link_cursors', {}),
    ].join('\n'),
  },
  {
    version: 5,
    name: 'webhooks: outgoing, their deliveries, incoming hooks',
    sql: [
      entityTable('webhooks', { project_id: "doc->>'projectId'", created_at: "doc->>'createdAt'" }),
      'CREATE INDEX webhooks_project ON webhooks(project_id, created_at, id);',
      'CREATE INDEX webhooks_created ON webhooks(created_at, id);',
      entityTable('webhook_deliveries', { webhook_id: "doc->>'webhookId'", created_at: "doc->>'createdAt'" }),
      'CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, created_at, id);',
      entityTable('incoming_hooks', { room_id: "doc->>'roomId'", token_hash: "doc->>'tokenHash'", created_at: "doc->>'createdAt'" }),
      'CREATE UNIQUE INDEX incoming_hooks_token ON incoming_hooks(token_hash);',
      'CREATE INDEX incoming_hooks_room ON incoming_hooks(room_id, created_at, id);',
    ].join('\n'),
  },
  {
    version: 6,
    name: 'jobs: indexes for the next due time of free and of leased jobs',
    sql: [
      'CREATE INDEX jobs_free_due ON jobs(run_at) WHERE failed = 0 AND lease_until IS NULL;',
      'CREATE INDEX jobs_leased ON jobs(lease_until) WHERE failed = 0 AND lease_until IS NOT NULL;',
    ].join('\n'),
  },
  {
    version: 7,
    name: 'records written before accounts, assignments and invite links grew fields get them',
    sql: [
      // Accounts from before address checks were trusted as they were; nothing was disabled.
      "UPDATE users SET doc = json_set(doc, '$.disabled', json('false')) WHERE json_type(doc, '$.disabled') IS NULL;",
      "UPDATE users SET doc = json_set(doc, '$.verified', json('true')) WHERE json_type(doc, '$.verified') IS NULL;",
      "UPDATE tasks SET doc = json_set(doc, '$.assignedAt', json('null')) WHERE json_type(doc, '$.assignedAt') IS NULL;",
      "UPDATE invites SET doc = json_set(doc, '$.tokenHash', json('null'), '$.expiresAt', json('null'), '$.sentAt', json('null')) WHERE json_type(doc, '$.tokenHash') IS NULL;",
    ].join('\n'),
  },
  {
    version: 8,
    name: 'plugins: per-project state, and task fields',
    sql: [
      entityTable('plugin_states', { project_id: "doc->>'projectId'", name: "doc->>'name'", created_at: "doc->>'createdAt'" }),
      'CREATE INDEX plugin_states_project ON plugin_states(project_id, name);',
      'CREATE INDEX plugin_states_created ON plugin_states(created_at, id);',
      "UPDATE tasks SET doc = json_set(doc, '$.fields', json('{}')) WHERE json_type(doc, '$.fields') IS NULL;",
    ].join('\n'),
  },
  {
    version: 9,
    name: 'purge: find the records of a deleted project by its id',
    sql: [
      // Expression indexes: generated columns cannot be added to a table in place (see version 3).
      "CREATE INDEX messages_project ON messages(doc->>'projectId');",
      "CREATE INDEX webhook_deliveries_project ON webhook_deliveries(doc->>'projectId');",
      "CREATE INDEX incoming_hooks_project ON incoming_hooks(doc->>'projectId');",
      "CREATE INDEX notifications_project ON notifications(doc->>'projectId');",
      "CREATE INDEX feed_cursors_project ON feed_cursors(doc->>'projectId');",
    ].join('\n'),
  },
  {
    version: 10,
    name: 'analytics: task moves, when tasks started, tasks from chat; plain tables kept by triggers for grouped counts',
    sql: [...ANALYTICS_TABLES, ...ANALYTICS_BACKFILL, ...ANALYTICS_TRIGGERS].join('\n'),
  },
  {
    version: 11,
    name: 'analytics: a task update rewrites its task_facts row only when a counted field changed',
    sql: TASK_FACTS_UPDATE_ONLY_ON_FACTS.join('\n'),
  },
];

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock before the check, so two processes booting together cannot both apply it.
    db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
