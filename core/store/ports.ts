// The Store port: everything services may ask of persistence, in plain objects.
// Two implementations (sqlite/, mongo/) pass one contract suite
// (test/contract/store). No driver type crosses this file.
//
// Reads go through the repositories and see committed data only. Writes go
// through `write()`: the work function buffers inserts, replaces, removals and
// change-feed entries on a UnitOfWork, and the store applies the whole buffer
// atomically (all or nothing), allocating the feed's `seq` numbers at commit.
// Because the buffer is applied later, optimistic checks travel with each write
// as `expect` (fields that must still hold their read values at commit time).

import type {
  AuditEntry, AuthToken, Change, IncomingHook, PluginState, Webhook, WebhookDelivery, ChannelLink, ChatPlatform, CollectionName, ConnectCode, Identity, LinkCursor, MessageCopy, SeenEvent, Delivery, InstanceSettings, DeliveryChannel, DeliveryStatus, EmbedToken, Entities, FeedCursor, Invite, Member, Message, Notification, OutboxMail, Project, Role,
  Room, RoomMember, Task, TaskMove, Token, User,
} from './entities.js';

export type * from './entities.js';

export interface PageRequest {
  limit: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NewChange {
  type: string;
  actorId: string | null;
  data: Record<string, unknown>;
  /** Users allowed to see `data`; null means everyone who may read the project. */
  audience?: string[] | null;
}

export interface UnitOfWork {
  insert<C extends CollectionName>(collection: C, doc: Entities[C]): void;
  /** Replaces the whole record with the same id; `expect` fields must match the stored record at commit. */
  replace<C extends CollectionName>(collection: C, doc: Entities[C], expect?: Partial<Entities[C]>): void;
  remove<C extends CollectionName>(collection: C, id: string, expect?: Partial<Entities[C]>): void;
  /** Appends to the scope project's feed; its seq is assigned at commit. */
  append(change: NewChange): void;
}

export interface WriteScope {
  /** The project whose feed this unit appends to; null for writes outside any project (users, tokens). */
  projectId: string | null;
}

export interface Committed<T> {
  result: T;
  /** The changes the unit appended, with their seq and time, in order. */
  changes: Change[];
}

export interface TaskQuery {
  /** The project's column keys in board order: tasks are listed by column, then position, then id. */
  statusOrder: string[];
  status?: string;
  assigneeId?: string;
  label?: string;
  /** Case-insensitive substring of title or description. */
  q?: string;
  /** Only tasks with a due date strictly before this time. */
  dueBefore?: string;
  /** Lists in reverse: last column first, each by position then id descending; the cursor pages on backwards. */
  reverse?: boolean;
}

export interface PositionRef {
  position: string;
  id: string;
}

export interface UsersRepo {
  get(id: string): Promise<User | null>;
  getByEmail(email: string): Promise<User | null>;
  getByExternalRef(ref: string): Promise<User | null>;
  getMany(ids: readonly string[]): Promise<User[]>;
  /** Ordered by createdAt, then id. */
  list(page: PageRequest): Promise<Page<User>>;
  /** Users whose email or name contains `q` (case-insensitive), ordered by createdAt, then id. */
  search(q: string, page: PageRequest): Promise<Page<User>>;
  count(): Promise<number>;
}

export interface TokensRepo {
  get(id: string): Promise<Token | null>;
  getByHash(tokenHash: string): Promise<Token | null>;
  /** Ordered by createdAt, then id. */
  listByUser(userId: string): Promise<Token[]>;
  /** Bookkeeping outside any unit of work: no feed entry, last writer wins. */
  touch(id: string, at: string): Promise<void>;
}

export interface ProjectsRepo {
  get(id: string): Promise<Project | null>;
  /** Projects the user is a member of, ordered by createdAt, then id. */
  listForUser(userId: string, page: PageRequest): Promise<Page<Project>>;
  /** Atomically hands out the project's next task number (1, 2, ...); a failed write may leave a hole. */
  nextTaskNumber(projectId: string): Promise<number>;
  /** Makes the counter at least `atLeast`, so the next number handed out is above it (an import keeps its numbers). */
  raiseTaskCounter(projectId: string, atLeast: number): Promise<void>;
  /** Every project, ordered by createdAt, then id (for background reconciliation). */
  list(page: PageRequest): Promise<Page<Project>>;
  count(): Promise<number>;
}

export interface MembersRepo {
  get(projectId: string, userId: string): Promise<Member | null>;
  /** Ordered by createdAt, then id. */
  listByProject(projectId: string, page: PageRequest): Promise<Page<Member>>;
  listByUser(userId: string): Promise<Member[]>;
  countByRole(projectId: string, role: Role): Promise<number>;
}

export interface InvitesRepo {
  get(id: string): Promise<Invite | null>;
  getByEmail(projectId: string, email: string): Promise<Invite | null>;
  listByProject(projectId: string): Promise<Invite[]>;
  listByEmail(email: string): Promise<Invite[]>;
  getByTokenHash(tokenHash: string): Promise<Invite | null>;
}

export interface TasksRepo {
  get(id: string): Promise<Task | null>;
  getByNumber(projectId: string, number: number): Promise<Task | null>;
  list(projectId: string, query: TaskQuery, page: PageRequest): Promise<Page<Task>>;
  /**
   * The task next to `from` in a column, in (position, id) order: direction 'next' is the first one after
   * `from` (or the column's first when `from` is null), 'prev' the last one before it (or the column's last).
   */
  neighbor(projectId: string, status: string, from: PositionRef | null, direction: 'next' | 'prev'): Promise<Task | null>;
  /** How many tasks match the filters in each column of `query.statusOrder` (same order; `status` and `reverse` ignored). */
  countColumns(projectId: string, query: TaskQuery): Promise<number[]>;
  /** Tasks of every project with `from <= dueAt < to`, ordered by dueAt, then id (for the reminder reconciler). */
  listDue(from: string, to: string, page: PageRequest): Promise<Page<Task>>;
}

export interface RoomsRepo {
  get(id: string): Promise<Room | null>;
  getByName(projectId: string, name: string): Promise<Room | null>;
  /** Ordered by createdAt, then id. */
  listByProject(projectId: string): Promise<Room[]>;
}

export interface RoomMembersRepo {
  get(roomId: string, userId: string): Promise<RoomMember | null>;
  listByRoom(roomId: string): Promise<RoomMember[]>;
  listRoomIdsForUser(projectId: string, userId: string): Promise<string[]>;
}

export interface MessagesRepo {
  get(id: string): Promise<Message | null>;
  /** Newest first (createdAt, then id, descending), strictly older than `beforeId` when given. */
  listByRoom(roomId: string, options: { beforeId?: string | null; limit: number }): Promise<Message[]>;
  /** Oldest first (createdAt, then id), strictly newer than `afterId` when given (an export reads a room in order). */
  listOldestFirst(roomId: string, options: { afterId?: string | null; limit: number }): Promise<Message[]>;
}

export interface EmbedTokensRepo {
  get(id: string): Promise<EmbedToken | null>;
  getByHash(tokenHash: string): Promise<EmbedToken | null>;
  listByProject(projectId: string): Promise<EmbedToken[]>;
}

export interface NotificationsRepo {
  get(id: string): Promise<Notification | null>;
  getMany(ids: readonly string[]): Promise<Notification[]>;
  /** A user's notifications, newest first (createdAt, then id, descending). */
  listByUser(userId: string, options: { unreadOnly: boolean }, page: PageRequest): Promise<Page<Notification>>;
  countUnread(userId: string): Promise<number>;
}

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  channel?: DeliveryChannel | undefined;
}

export interface DeliveriesRepo {
  get(id: string): Promise<Delivery | null>;
  listByNotifications(notificationIds: readonly string[]): Promise<Delivery[]>;
  /** Newest first (createdAt, then id, descending). */
  list(filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
}

export interface OutboxRepo {
  /** Newest first (createdAt, then id, descending). */
  list(page: PageRequest): Promise<Page<OutboxMail>>;
}

export interface AuthTokensRepo {
  getByHash(tokenHash: string): Promise<AuthToken | null>;
  listByUser(userId: string): Promise<AuthToken[]>;
}

export interface SettingsRepo {
  get(id: string): Promise<InstanceSettings | null>;
}

export interface AuditRepo {
  /** Newest first (createdAt, then id, descending). */
  list(page: PageRequest): Promise<Page<AuditEntry>>;
}

export interface LinksRepo {
  get(id: string): Promise<ChannelLink | null>;
  getByChannel(platform: ChatPlatform, teamId: string, channelId: string): Promise<ChannelLink | null>;
  listByRoom(roomId: string): Promise<ChannelLink[]>;
  /** Ordered by createdAt, then id. */
  listByProject(projectId: string): Promise<ChannelLink[]>;
  /** Every link, ordered by createdAt, then id (for background reconciliation). */
  list(page: PageRequest): Promise<Page<ChannelLink>>;
}

export interface IdentitiesRepo {
  get(id: string): Promise<Identity | null>;
  getByExternal(platform: ChatPlatform, teamId: string, externalUserId: string): Promise<Identity | null>;
  /** Ordered by createdAt, then id. */
  listByUser(userId: string): Promise<Identity[]>;
}

export interface ConnectCodesRepo {
  getByHash(codeHash: string): Promise<ConnectCode | null>;
}

export interface MessageCopiesRepo {
  getByExternal(platform: ChatPlatform, channelId: string, externalId: string): Promise<MessageCopy | null>;
  getForLink(linkId: string, messageId: string): Promise<MessageCopy | null>;
  listByMessage(messageId: string): Promise<MessageCopy[]>;
}

export interface SeenEventsRepo {
  get(id: string): Promise<SeenEvent | null>;
}

export interface LinkCursorsRepo {
  get(id: string): Promise<LinkCursor | null>;
}

export interface WebhooksRepo {
  get(id: string): Promise<Webhook | null>;
  /** Ordered by createdAt, then id. */
  listByProject(projectId: string): Promise<Webhook[]>;
  /** Every webhook, for background reconciliation. */
  list(page: PageRequest): Promise<Page<Webhook>>;
}

export interface WebhookDeliveriesRepo {
  get(id: string): Promise<WebhookDelivery | null>;
  /** Newest first (createdAt, then id, descending). */
  listByWebhook(webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
}

export interface PluginStatesRepo {
  get(id: string): Promise<PluginState | null>;
  /** Ordered by plugin name. */
  listByProject(projectId: string): Promise<PluginState[]>;
  /** Every state, for background reconciliation. */
  list(page: PageRequest): Promise<Page<PluginState>>;
}

export interface IncomingHooksRepo {
  get(id: string): Promise<IncomingHook | null>;
  getByTokenHash(tokenHash: string): Promise<IncomingHook | null>;
  listByRoom(roomId: string): Promise<IncomingHook[]>;
}

export interface FeedCursorsRepo {
  get(id: string): Promise<FeedCursor | null>;
}

/** A job as the embedded queue keeps it in the store (jobs/embedded.ts); times are epoch milliseconds. */
export interface StoredJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  runAt: number;
  /** Total tries allowed. */
  attempts: number;
  /** Tries already made and failed. */
  attemptsMade: number;
  backoff: { delayMs: number; maxDelayMs?: number | undefined };
  lastError: string | null;
  /** Out of tries (or failed permanently): kept for inspection, never run again. */
  failed: boolean;
}

export interface JobCounts {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
}

/**
 * The embedded queue's durable table. Each call is atomic on its own; a job is
 * run by whoever holds its lease, and a lease that is not renewed expires, so a
 * job cut off by a crash is claimed again.
 */
export interface JobsRepo {
  /** Inserts the job; false when a job with its id exists (queued, running or failed). */
  add(job: Omit<StoredJob, 'attemptsMade' | 'lastError' | 'failed'>): Promise<boolean>;
  /** Deletes a job that is not running; true when one was deleted. */
  remove(id: string): Promise<boolean>;
  /** Leases up to `limit` due jobs (runAt <= now, not failed, no live lease) to `owner` until now + leaseMs, earliest first. */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<StoredJob[]>;
  /** Extends `owner`'s lease; false when the lease was lost (expired and taken, or the job is gone). */
  renew(id: string, owner: string, until: number): Promise<boolean>;
  /** The job succeeded: it is deleted, and its id is free again. */
  complete(id: string, owner: string): Promise<void>;
  /** The try failed: attemptsMade + 1, due again at `runAt`, lease released. */
  retry(id: string, owner: string, runAt: number, error: string): Promise<void>;
  /** No more tries: kept as failed. */
  fail(id: string, owner: string, error: string): Promise<void>;
  /** The earliest runAt of a job that could be claimed, or null when none is queued. */
  nextRunAt(): Promise<number | null>;
  counts(now: number): Promise<JobCounts>;
}

/** The collections the purge deletes from, each with the fields it finds their records by (besides `id`). */
export interface PurgeKeys {
  tasks: 'projectId';
  rooms: 'projectId';
  roomMembers: 'projectId' | 'roomId';
  messages: 'projectId' | 'roomId';
  messageCopies: 'messageId' | 'linkId';
  links: 'projectId' | 'roomId';
  linkCursors: never;
  webhooks: 'projectId';
  webhookDeliveries: 'projectId' | 'webhookId';
  incomingHooks: 'projectId' | 'roomId';
  pluginStates: 'projectId';
  notifications: 'projectId';
  deliveries: 'notificationId';
  embedTokens: 'projectId';
  invites: 'projectId';
  members: 'projectId';
  feedCursors: 'projectId';
  taskMoves: 'projectId' | 'taskId';
}

export type PurgeCollection = keyof PurgeKeys;

/**
 * Bulk removal of what a deleted project or room leaves behind (jobs/purge). It
 * works outside units of work: no feed entry, no `expect`, each call atomic on
 * its own, so a purge cut off half-way is finished by running it again.
 */
export interface PurgeRepo {
  /** Ids of up to `limit` records of `collection` whose `field` is `value`, in no particular order. */
  ids<C extends PurgeCollection>(collection: C, field: PurgeKeys[C], value: string, limit: number): Promise<string[]>;
  /** Deletes the records of `collection` whose `field` is one of `values`; how many went. */
  deleteWhere<C extends PurgeCollection>(collection: C, field: PurgeKeys[C] | 'id', values: readonly string[]): Promise<number>;
  /** Up to `limit` ids of projects that are gone while their feed is still stored: the purge drops the feed last, so these are the purges left to do. */
  deletedProjects(limit: number): Promise<string[]>;
  /** Up to `limit` ids of rooms that are gone while messages of theirs are still stored. */
  deletedRooms(limit: number): Promise<string[]>;
  /**
   * Deletes the project's change feed and its head (seq and task counter). False when a unit of work of that
   * project, left unfinished by a writer that died, had to be undone first: records may be back, purge again.
   */
  dropFeed(projectId: string): Promise<boolean>;
}

export interface TaskMovesRepo {
  /** A task's moves, oldest first (at, then id). */
  listByTask(taskId: string): Promise<TaskMove[]>;
}

/** Tasks counted under one key (a column, an assignee...). */
export interface KeyCount<K> {
  key: K;
  count: number;
}

export interface OpenTasks {
  /** null: unassigned. */
  assigneeId: string | null;
  open: number;
  /** Of them, due before the given time. */
  overdue: number;
}

/** Tasks created in one period. */
export interface CreatedTasks {
  created: number;
  /** Of them, in the done column now. */
  completed: number;
  /** Of them, created by `/task add` in a chat. */
  fromChat: number;
}

/** Durations in milliseconds at the nearest-rank percentiles (the ceil(p/100 × n)-th smallest); null when n is 0. */
export interface Distribution {
  count: number;
  p50: number | null;
  p85: number | null;
  p95: number | null;
}

/**
 * The tasks in the done column now whose completedAt falls in one of the periods. Cycle time runs from startedAt
 * (createdAt when it has none) to completedAt, lead time from createdAt; a negative one counts as 0.
 */
export interface Completions {
  perPeriod: number[];
  cycle: Distribution;
  lead: Distribution;
  /** Per assignee now (null: unassigned): how many, and their cycle time's p50. */
  byAssignee: { assigneeId: string | null; count: number; cycleP50: number }[];
}

/**
 * The grouped reads analytics are made of (core/services/analytics). Periods
 * are given as ascending bounds (ISO times): period i is [bounds[i],
 * bounds[i+1]), so n bounds make n - 1 periods. Nothing here returns a
 * history whole: counts come back per period and key.
 */
export interface AnalyticsRepo {
  /** The project's tasks per column now. */
  tasksByStatus(projectId: string): Promise<KeyCount<string>[]>;
  /** Tasks not in `doneStatus` per assignee, with how many of them have `dueAt < now`. */
  openByAssignee(projectId: string, doneStatus: string, now: string): Promise<OpenTasks[]>;
  /** Tasks created in each period. */
  createdPerPeriod(projectId: string, doneStatus: string, bounds: readonly string[]): Promise<CreatedTasks[]>;
  /** Tasks completed in the periods and in `doneStatus` now, counted per period and measured. */
  completions(projectId: string, doneStatus: string, bounds: readonly string[]): Promise<Completions>;
  /** Tasks per column at each of `instants` (ascending), by the moves of the tasks that exist now: moves at or after an instant do not count for it. */
  tasksByStatusAt(projectId: string, instants: readonly string[]): Promise<Record<string, number>[]>;
  /** Messages of `roomIds` written in each period, deleted ones left out. */
  messagesPerPeriod(roomIds: readonly string[], bounds: readonly string[]): Promise<number[]>;
  /**
   * Deleted messages left out: for each message of `roomIds` written in [from, to) that starts a turn (the room's
   * previous message is by someone else, or there is none), the milliseconds until the room's next message by
   * someone else (after `to` too). The median of these by nearest rank (the ceil(n/2)-th smallest), and how many
   * there are; null when none was answered.
   */
  medianReplyDelay(roomIds: readonly string[], from: string, to: string): Promise<{ count: number; medianMs: number | null }>;
}

export interface ChangesRepo {
  /** Committed changes with seq > since, ascending, at most `limit`. */
  list(projectId: string, since: number, limit: number): Promise<Change[]>;
  /** The highest committed seq of the project (0 before its first change). */
  lastSeq(projectId: string): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly users: UsersRepo;
  readonly tokens: TokensRepo;
  readonly projects: ProjectsRepo;
  readonly members: MembersRepo;
  readonly invites: InvitesRepo;
  readonly tasks: TasksRepo;
  readonly rooms: RoomsRepo;
  readonly roomMembers: RoomMembersRepo;
  readonly messages: MessagesRepo;
  readonly embedTokens: EmbedTokensRepo;
  readonly changes: ChangesRepo;
  readonly notifications: NotificationsRepo;
  readonly deliveries: DeliveriesRepo;
  readonly outbox: OutboxRepo;
  readonly feedCursors: FeedCursorsRepo;
  readonly authTokens: AuthTokensRepo;
  readonly settings: SettingsRepo;
  readonly audit: AuditRepo;
  readonly links: LinksRepo;
  readonly identities: IdentitiesRepo;
  readonly connectCodes: ConnectCodesRepo;
  readonly messageCopies: MessageCopiesRepo;
  readonly seenEvents: SeenEventsRepo;
  readonly linkCursors: LinkCursorsRepo;
  readonly webhooks: WebhooksRepo;
  readonly webhookDeliveries: WebhookDeliveriesRepo;
  readonly incomingHooks: IncomingHooksRepo;
  readonly pluginStates: PluginStatesRepo;
  readonly taskMoves: TaskMovesRepo;
  readonly analytics: AnalyticsRepo;
  readonly jobs: JobsRepo;
  readonly purge: PurgeRepo;
  /**
   * Runs `work` to collect writes, then commits them and their feed entries atomically.
   * Throws StoreConflictError, StoreNotFoundError or StoreDuplicateError (core/store/errors) and then
   * nothing of the unit is visible.
   */
  write<T>(scope: WriteScope, work: (uow: UnitOfWork) => T | Promise<T>): Promise<Committed<T>>;
  /** Resolves when the store can serve; rejects otherwise (used by /health). */
  ping(): Promise<void>;
  /** Waits for commits in flight, then releases the connection (SQLite: checkpoints the WAL). */
  close(): Promise<void>;
}
