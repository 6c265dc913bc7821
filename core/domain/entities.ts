// Plain records as the Store keeps them (the domain's entities). Every store returns exactly these
// shapes (no driver documents, no Date objects: times are ISO 8601 UTC strings)
// so that services and presenters never learn which store they run on.

export type Role = 'viewer' | 'member' | 'admin' | 'owner';
export type RoomRole = 'member' | 'admin';
export type MessageSource = 'web' | 'slack' | 'discord' | 'api';
export type TokenKind = 'session' | 'api';
export type EmbedRole = 'viewer' | 'member';
export type EmbedIdentity = 'anonymous' | 'verified';

export interface NotifyPrefs {
  email: boolean;
  assignments: boolean;
  reminders: boolean;
}

export interface User {
  id: string;
  /** Lower-cased; unique across the instance. */
  email: string;
  name: string;
  /** null for users who cannot log in with a password (embed-provisioned, guests). */
  passwordHash: string | null;
  isAdmin: boolean;
  notify: NotifyPrefs;
  /** Identity from a host site's verified embed JWT: `${embedTokenId}:${sub}`; unique when set. */
  externalRef: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Token {
  id: string;
  userId: string;
  kind: TokenKind;
  name: string;
  /** SHA-256 of the token; the token itself is never stored. Unique. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface Column {
  key: string;
  name: string;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  columns: Column[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  projectId: string;
  userId: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export interface Invite {
  id: string;
  projectId: string;
  /** Lower-cased; unique per project. */
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
}

export interface Task {
  id: string;
  projectId: string;
  /** Short per-project number (#42) used by chat commands; unique per project. */
  number: number;
  title: string;
  description: string;
  status: string;
  assigneeId: string | null;
  dueAt: string | null;
  labels: string[];
  /** Fractional ordering key; compared as a plain (byte-wise) string, ties broken by id. */
  position: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface Room {
  id: string;
  projectId: string;
  /** Unique per project. */
  name: string;
  topic: string;
  private: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface RoomMember {
  id: string;
  roomId: string;
  projectId: string;
  userId: string;
  role: RoomRole;
  createdAt: string;
}

export interface Message {
  id: string;
  roomId: string;
  projectId: string;
  authorId: string;
  /** The author's display name when the message was written (a bridged author may have no Taskwire account). */
  authorName: string;
  text: string;
  source: MessageSource;
  /** Id of the bridged copy on Slack or Discord, when the message came from there. */
  externalId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface EmbedToken {
  id: string;
  projectId: string;
  name: string;
  tokenHash: string;
  origins: string[];
  role: EmbedRole;
  identity: EmbedIdentity;
  /** HS256 key for verified identity JWTs; sealed by the service before it reaches the store. */
  secretSealed: string | null;
  createdBy: string;
  createdAt: string;
}

/** One entry of a project's change feed. */
export interface Change {
  projectId: string;
  /** 1, 2, 3... per project, contiguous, in commit order. */
  seq: number;
  type: string;
  at: string;
  actorId: string | null;
  data: Record<string, unknown>;
  /** When set, only these users may see the data (a private room's members); others get it redacted. */
  audience: string[] | null;
}

/** The collections a unit of work can write, each keyed by `id`. */
export interface Entities {
  users: User;
  tokens: Token;
  projects: Project;
  members: Member;
  invites: Invite;
  tasks: Task;
  rooms: Room;
  roomMembers: RoomMember;
  messages: Message;
  embedTokens: EmbedToken;
}

export type CollectionName = keyof Entities;

export const COLLECTIONS: readonly CollectionName[] = [
  'users',
  'tokens',
  'projects',
  'members',
  'invites',
  'tasks',
  'rooms',
  'roomMembers',
  'messages',
  'embedTokens',
];
