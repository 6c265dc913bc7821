// One field list per collection drives three things that must agree: the
// mongoose schema (casting and validation before anything is written), the
// read mapping (exactly the entity's fields, nulls restored) and the indexes.
// Every query of the repositories is listed next to the index that serves it.

import { Schema, type SchemaDefinitionProperty } from 'mongoose';
import type { CollectionName, Entities } from '../entities.js';

export interface Field {
  readonly def: SchemaDefinitionProperty;
}

type Fields<E> = { readonly [K in Exclude<keyof E, 'id'>]-?: Field };

// `required` on a String rejects '', so it is kept for keys and left off free text.
const key: Field = { def: { type: String, required: true } };
const text: Field = { def: { type: String, validate: { validator: (v: unknown) => typeof v === 'string', message: '{PATH} must be a string' } } };
const nullableText: Field = { def: { type: String, default: null } };
const integer: Field = { def: { type: Number, required: true, validate: { validator: Number.isInteger, message: '{PATH} must be an integer' } } };
const flag: Field = { def: { type: Boolean, required: true } };
const strings: Field = { def: { type: [String], required: true } };
/** A flag that accounts stored before it existed lack (read as null, see the presenters). */
const optionalFlag: Field = { def: { type: Boolean, default: null } };
const record: Field = { def: { type: Schema.Types.Mixed, default: {} } };
const oneOf = (...values: string[]): Field => ({ def: { type: String, required: true, enum: values } });

const bool = { type: Boolean, required: true };
const channelsSchema = new Schema({ email: bool, slack: bool, discord: bool }, { _id: false, versionKey: false, strict: true });
// Accounts stored before the preferences grew ({email, assignments, reminders}) are read as they are and
// normalized by core/domain/notify.ts; every write stores the current shape.
const notifySchema = new Schema(
  {
    assigned: bool,
    dueSoon: bool,
    overdue: bool,
    mentioned: bool,
    digest: bool,
    remindBefore: { type: Number, required: true },
    timezone: { type: String, required: true },
    channels: { type: channelsSchema, required: true },
  },
  { _id: false, versionKey: false, strict: true },
);
const columnSchema = new Schema({ key: { type: String, required: true }, name: text.def }, { _id: false, versionKey: false, strict: true });

const ROLE = oneOf('viewer', 'member', 'admin', 'owner');

export const FIELDS: { readonly [C in CollectionName]: Fields<Entities[C]> } = {
  users: {
    email: key,
    name: text,
    passwordHash: nullableText,
    isAdmin: flag,
    disabled: optionalFlag,
    verified: optionalFlag,
    notify: { def: { type: notifySchema, required: true } },
    // Never null in the database: see EXTERNAL_REF_NONE in codec.ts.
    externalRef: key,
    createdAt: key,
    updatedAt: key,
  },
  tokens: { userId: key, kind: oneOf('session', 'api'), name: text, tokenHash: key, createdAt: key, lastUsedAt: nullableText, expiresAt: nullableText },
  projects: { name: text, description: text, columns: { def: { type: [columnSchema], required: true } }, createdBy: key, createdAt: key, updatedAt: key },
  members: { projectId: key, userId: key, role: ROLE, createdAt: key, updatedAt: key },
  invites: { projectId: key, email: key, role: ROLE, invitedBy: key, createdAt: key, tokenHash: nullableText, expiresAt: nullableText, sentAt: nullableText },
  tasks: {
    projectId: key,
    number: integer,
    title: text,
    description: text,
    status: key,
    assigneeId: nullableText,
    assignedAt: nullableText,
    dueAt: nullableText,
    labels: strings,
    position: key,
    version: integer,
    createdBy: key,
    createdAt: key,
    updatedAt: key,
    completedAt: nullableText,
    startedAt: nullableText,
    fromChat: flag,
    fields: record,
  },
  rooms: { projectId: key, name: key, topic: text, private: flag, createdBy: key, createdAt: key, updatedAt: key },
  roomMembers: { roomId: key, projectId: key, userId: key, role: oneOf('member', 'admin'), createdAt: key },
  messages: {
    roomId: key,
    projectId: key,
    authorId: key,
    authorName: text,
    text,
    source: oneOf('web', 'slack', 'discord', 'api'),
    externalId: nullableText,
    createdAt: key,
    editedAt: nullableText,
    deletedAt: nullableText,
  },
  embedTokens: {
    projectId: key,
    name: text,
    tokenHash: key,
    origins: strings,
    role: oneOf('viewer', 'member'),
    identity: oneOf('anonymous', 'verified'),
    secretSealed: nullableText,
    createdBy: key,
    createdAt: key,
  },
  notifications: {
    userId: key,
    event: oneOf('assigned', 'due_soon', 'overdue', 'mentioned', 'digest', 'test', 'webhook_disabled'),
    projectId: nullableText,
    taskId: nullableText,
    messageId: nullableText,
    text,
    createdAt: key,
    readAt: nullableText,
  },
  deliveries: {
    notificationId: key,
    userId: key,
    channel: oneOf('inapp', 'email', 'slack', 'discord'),
    status: oneOf('queued', 'sent', 'failed', 'skipped'),
    attempts: integer,
    lastError: nullableText,
    createdAt: key,
    updatedAt: key,
    sentAt: nullableText,
  },
  outbox: { to: key, subject: text, text, html: text, messageId: key, createdAt: key },
  feedCursors: { consumer: key, projectId: key, seq: integer, updatedAt: key },
  authTokens: { kind: oneOf('password_reset', 'verify_email'), userId: key, tokenHash: key, expiresAt: key, createdAt: key },
  settings: { registration: oneOf('open', 'invite', 'closed'), updatedAt: key, updatedBy: nullableText },
  audit: { actorId: nullableText, action: key, targetId: nullableText, details: record, ip: nullableText, createdAt: key },
  links: { projectId: key, platform: oneOf('slack', 'discord'), teamId: key, channelId: key, roomId: key, createdBy: key, createdAt: key },
  identities: { userId: key, platform: oneOf('slack', 'discord'), teamId: key, externalUserId: key, externalName: text, createdAt: key },
  connectCodes: { codeHash: key, platform: oneOf('slack', 'discord'), teamId: key, externalUserId: key, externalName: text, expiresAt: key, createdAt: key },
  messageCopies: {
    messageId: key,
    linkId: key,
    platform: oneOf('slack', 'discord'),
    channelId: key,
    externalId: key,
    direction: oneOf('inbound', 'outbound'),
    createdAt: key,
  },
  seenEvents: { createdAt: key },
  linkCursors: { seq: integer, lockedBy: nullableText, lockedUntil: nullableText, failedAt: nullableText, updatedAt: key },
  webhooks: {
    projectId: key,
    url: key,
    events: strings,
    description: text,
    secretSealed: key,
    createdBy: key,
    createdAt: key,
    updatedAt: key,
    enabled: flag,
    disabledReason: nullableText,
    failingSince: nullableText,
  },
  webhookDeliveries: {
    webhookId: key,
    projectId: key,
    seq: integer,
    type: key,
    status: oneOf('pending', 'delivered', 'failed'),
    attempts: integer,
    responseStatus: { def: { type: Number, default: null } },
    lastError: nullableText,
    createdAt: key,
    updatedAt: key,
    deliveredAt: nullableText,
  },
  pluginStates: {
    name: key,
    projectId: key,
    enabled: flag,
    settings: record,
    failures: integer,
    lastError: nullableText,
    failingSince: nullableText,
    createdAt: key,
    updatedAt: key,
  },
  incomingHooks: { roomId: key, projectId: key, name: text, tokenHash: key, createdBy: key, createdAt: key },
  taskMoves: { projectId: key, taskId: key, from: nullableText, to: key, at: key },
};

export interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: true;
}

/** The internal collections next to the entity ones. */
export type InternalName = 'changes' | 'feeds' | 'leases' | 'jobs' | 'jobClaims';

export const INDEXES: { readonly [C in CollectionName | InternalName]: readonly IndexSpec[] } = {
  users: [
    { name: 'users_email', keys: { email: 1 }, unique: true }, // getByEmail
    { name: 'users_external_ref', keys: { externalRef: 1 }, unique: true }, // getByExternalRef
    { name: 'users_created', keys: { createdAt: 1, _id: 1 } }, // list
  ],
  tokens: [
    { name: 'tokens_hash', keys: { tokenHash: 1 }, unique: true }, // getByHash
    { name: 'tokens_user', keys: { userId: 1, createdAt: 1, _id: 1 } }, // listByUser
  ],
  projects: [{ name: 'projects_created', keys: { createdAt: 1, _id: 1 } }], // list, listForUser (ids from members_user)
  members: [
    { name: 'members_project_user', keys: { projectId: 1, userId: 1 }, unique: true }, // get
    { name: 'members_project_created', keys: { projectId: 1, createdAt: 1, _id: 1 } }, // listByProject
    { name: 'members_user', keys: { userId: 1, createdAt: 1, _id: 1 } }, // listByUser, listForUser
    { name: 'members_project_role', keys: { projectId: 1, role: 1 } }, // countByRole
  ],
  invites: [
    { name: 'invites_project_email', keys: { projectId: 1, email: 1 }, unique: true }, // getByEmail, listByProject
    { name: 'invites_email', keys: { email: 1, createdAt: 1, _id: 1 } }, // listByEmail
    // Not unique: invites from before links have none, and a unique index would count their nulls as equal.
    { name: 'invites_token', keys: { tokenHash: 1 } }, // getByTokenHash
  ],
  tasks: [
    { name: 'tasks_project_number', keys: { projectId: 1, number: 1 }, unique: true }, // getByNumber
    { name: 'tasks_board', keys: { projectId: 1, status: 1, position: 1, _id: 1 } }, // list, neighbor
    { name: 'tasks_assignee', keys: { projectId: 1, assigneeId: 1 } }, // list({assigneeId})
    { name: 'tasks_due', keys: { projectId: 1, dueAt: 1 } }, // list({dueBefore})
    { name: 'tasks_due_all', keys: { dueAt: 1, _id: 1 } }, // listDue
    { name: 'tasks_created', keys: { projectId: 1, createdAt: 1 } }, // analytics.createdPerPeriod
    { name: 'tasks_completed', keys: { projectId: 1, status: 1, completedAt: 1 } }, // analytics.completions
    // The open-time backfill looks for tasks without fromChat ($exists: false reads the index's null keys), so a
    // boot with nothing left to backfill does not scan every task.
    { name: 'tasks_backfill', keys: { fromChat: 1 } },
  ],
  taskMoves: [
    { name: 'task_moves_flow', keys: { projectId: 1, at: 1 } }, // analytics.tasksByStatusAt, purge
    { name: 'task_moves_task', keys: { taskId: 1, at: 1, _id: 1 } }, // listByTask, purge
  ],
  rooms: [
    { name: 'rooms_project_name', keys: { projectId: 1, name: 1 }, unique: true }, // getByName
    { name: 'rooms_project_created', keys: { projectId: 1, createdAt: 1, _id: 1 } }, // listByProject
  ],
  roomMembers: [
    { name: 'room_members_room_user', keys: { roomId: 1, userId: 1 }, unique: true }, // get, listByRoom
    { name: 'room_members_project_user', keys: { projectId: 1, userId: 1 } }, // listRoomIdsForUser
  ],
  messages: [
    { name: 'messages_room_created', keys: { roomId: 1, createdAt: 1, _id: 1 } }, // listByRoom, listOldestFirst, purge.deletedRooms
    { name: 'messages_project', keys: { projectId: 1 } }, // purge
  ],
  embedTokens: [
    { name: 'embed_tokens_hash', keys: { tokenHash: 1 }, unique: true }, // getByHash
    { name: 'embed_tokens_project', keys: { projectId: 1, createdAt: 1, _id: 1 } }, // listByProject
  ],
  notifications: [
    { name: 'notifications_user', keys: { userId: 1, createdAt: -1, _id: -1 } }, // listByUser
    { name: 'notifications_unread', keys: { userId: 1, readAt: 1 } }, // countUnread
    { name: 'notifications_project', keys: { projectId: 1 } }, // purge
  ],
  deliveries: [
    { name: 'deliveries_notification', keys: { notificationId: 1 } }, // listByNotifications
    { name: 'deliveries_created', keys: { createdAt: -1, _id: -1 } }, // list
    { name: 'deliveries_status', keys: { status: 1, createdAt: -1, _id: -1 } }, // list({status})
  ],
  outbox: [{ name: 'outbox_created', keys: { createdAt: -1, _id: -1 } }], // list
  feedCursors: [{ name: 'feed_cursors_project', keys: { projectId: 1 } }], // purge
  authTokens: [
    { name: 'auth_tokens_hash', keys: { tokenHash: 1 }, unique: true }, // getByHash
    { name: 'auth_tokens_user', keys: { userId: 1 } }, // listByUser
  ],
  settings: [],
  links: [
    { name: 'links_channel', keys: { platform: 1, teamId: 1, channelId: 1 }, unique: true }, // getByChannel
    { name: 'links_room', keys: { roomId: 1 } }, // listByRoom
    { name: 'links_project', keys: { projectId: 1, createdAt: 1, _id: 1 } }, // listByProject
    { name: 'links_created', keys: { createdAt: 1, _id: 1 } }, // list
  ],
  identities: [
    { name: 'identities_external', keys: { platform: 1, teamId: 1, externalUserId: 1 }, unique: true }, // getByExternal
    { name: 'identities_user', keys: { userId: 1, createdAt: 1, _id: 1 } }, // listByUser
  ],
  connectCodes: [{ name: 'connect_codes_hash', keys: { codeHash: 1 }, unique: true }], // getByHash
  messageCopies: [
    { name: 'message_copies_external', keys: { platform: 1, channelId: 1, externalId: 1 }, unique: true }, // getByExternal
    { name: 'message_copies_link', keys: { linkId: 1, messageId: 1 }, unique: true }, // getForLink
    { name: 'message_copies_message', keys: { messageId: 1 } }, // listByMessage
  ],
  seenEvents: [],
  linkCursors: [],
  webhooks: [
    { name: 'webhooks_project', keys: { projectId: 1, createdAt: 1, _id: 1 } }, // listByProject
    { name: 'webhooks_created', keys: { createdAt: 1, _id: 1 } }, // list
  ],
  webhookDeliveries: [
    { name: 'webhook_deliveries_webhook', keys: { webhookId: 1, createdAt: -1, _id: -1 } }, // listByWebhook
    { name: 'webhook_deliveries_project', keys: { projectId: 1 } }, // purge
  ],
  pluginStates: [
    { name: 'plugin_states_project', keys: { projectId: 1, name: 1 } }, // listByProject
    { name: 'plugin_states_created', keys: { createdAt: 1, _id: 1 } }, // list
  ],
  incomingHooks: [
    { name: 'incoming_hooks_token', keys: { tokenHash: 1 }, unique: true }, // getByTokenHash
    { name: 'incoming_hooks_room', keys: { roomId: 1, createdAt: 1, _id: 1 } }, // listByRoom
    { name: 'incoming_hooks_project', keys: { projectId: 1 } }, // purge
  ],
  audit: [{ name: 'audit_created', keys: { createdAt: -1, _id: -1 } }], // list
  jobs: [{ name: 'jobs_due', keys: { failed: 1, runAt: 1 } }], // claim, nextRunAt
  // One live claim per (job, try): the unique key is the lock, as for the commit leases.
  jobClaims: [
    { name: 'job_claims_key', keys: { key: 1 }, unique: true },
    { name: 'job_claims_job', keys: { jobId: 1 } },
  ],
  changes: [{ name: 'changes_project_seq', keys: { projectId: 1, seq: 1 }, unique: true }], // list
  feeds: [],
  // The unique index is the lock itself: at most one lease per scope can exist (lease.ts).
  leases: [{ name: 'leases_scope', keys: { scope: 1 }, unique: true }],
};

const SCHEMA_OPTIONS = {
  versionKey: false,
  autoIndex: false,
  autoCreate: false,
  // Empty objects and arrays are data here (a change's `data: {}`), not noise.
  minimize: false,
  id: false,
  strict: true,
  bufferCommands: false,
} as const;

function withIndexes(schema: Schema, name: CollectionName | InternalName): Schema {
  for (const index of INDEXES[name]) schema.index(index.keys, { name: index.name, ...(index.unique ? { unique: true } : {}) });
  return schema;
}

export function entitySchema(collection: CollectionName): Schema {
  const definition: Record<string, SchemaDefinitionProperty> = { _id: { type: String, required: true } };
  for (const [field, spec] of Object.entries(FIELDS[collection]) as [string, Field][]) definition[field] = spec.def;
  return withIndexes(new Schema(definition, { ...SCHEMA_OPTIONS, collection }), collection);
}

/** Feed entries; `data` is kept as JSON text so any key (dots, `$`) and key order survive every server. */
export function changeSchema(): Schema {
  return withIndexes(
    new Schema(
      {
        _id: { type: String, required: true },
        projectId: { type: String, required: true },
        seq: { type: Number, required: true },
        type: { type: String, required: true },
        at: { type: String, required: true },
        actorId: { type: String, default: null },
        data: { type: String, required: true },
        audience: { type: [String], default: null },
      },
      { ...SCHEMA_OPTIONS, collection: 'changes' },
    ),
    'changes',
  );
}

/** One per scope: the feed's head, the task counter and the undo journal of the unit in flight; only the lease holder writes it. */
export function feedSchema(): Schema {
  return new Schema(
    {
      _id: { type: String, required: true },
      lastSeq: { type: Number, default: 0 },
      taskCounter: { type: Number, default: 0 },
      journal: { type: Schema.Types.Mixed, default: null },
    },
    { ...SCHEMA_OPTIONS, collection: 'feeds' },
  );
}

/** A writer's lease on a scope; `_id` is the holder's own random id. */
export function leaseSchema(): Schema {
  return withIndexes(
    new Schema(
      { _id: { type: String, required: true }, scope: { type: String, required: true }, until: { type: Number, required: true } },
      { ...SCHEMA_OPTIONS, collection: 'leases' },
    ),
    'leases',
  );
}

/** The embedded queue's jobs; only a claim holder updates one (mongo/jobs.ts). */
export function jobSchema(): Schema {
  return withIndexes(
    new Schema(
      {
        _id: { type: String, required: true },
        name: { type: String, required: true },
        data: { type: String, required: true },
        runAt: { type: Number, required: true },
        attempts: { type: Number, required: true },
        attemptsMade: { type: Number, default: 0 },
        backoff: { type: String, required: true },
        lastError: { type: String, default: null },
        failed: { type: Boolean, default: false },
      },
      { ...SCHEMA_OPTIONS, collection: 'jobs' },
    ),
    'jobs',
  );
}

/** A runner's claim on one try of a job; `_id` is the claim's own random id. */
export function jobClaimSchema(): Schema {
  return withIndexes(
    new Schema(
      {
        _id: { type: String, required: true },
        key: { type: String, required: true },
        jobId: { type: String, required: true },
        owner: { type: String, required: true },
        until: { type: Number, required: true },
      },
      { ...SCHEMA_OPTIONS, collection: 'job_claims' },
    ),
    'jobClaims',
  );
}
