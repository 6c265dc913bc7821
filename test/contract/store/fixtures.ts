// Valid records for the Store contract suite, each unique unless overridden.

import { randomUUID } from 'node:crypto';
import type { EmbedToken, Invite, Member, Message, Project, Room, RoomMember, Task, Token, User } from '../../../core/store/entities.js';
import { NOTIFY_DEFAULTS } from '../../../core/domain/notify.js';

let clock = Date.parse('2026-01-01T00:00:00.000Z');
/** Strictly increasing ISO times, so "created later" is unambiguous in ordering tests. */
export function tick(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

const id = (): string => randomUUID();

export function aUser(over: Partial<User> = {}): User {
  const at = tick();
  const uid = id();
  return {
    id: uid,
    email: `u-${uid}@example.test`,
    name: 'Ana',
    passwordHash: 'scrypt$abc',
    isAdmin: false,
    disabled: false,
    verified: true,
    notify: structuredClone(NOTIFY_DEFAULTS),
    externalRef: null,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

export function aToken(userId: string, over: Partial<Token> = {}): Token {
  return { id: id(), userId, kind: 'session', name: 'browser', tokenHash: `h-${id()}`, createdAt: tick(), lastUsedAt: null, expiresAt: null, ...over };
}

export function aProject(createdBy: string, over: Partial<Project> = {}): Project {
  const at = tick();
  return {
    id: id(),
    name: 'Launch',
    description: '',
    columns: [
      { key: 'todo', name: 'To do' },
      { key: 'doing', name: 'Doing' },
      { key: 'done', name: 'Done' },
    ],
    createdBy,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

export function aMember(projectId: string, userId: string, over: Partial<Member> = {}): Member {
  const at = tick();
  return { id: id(), projectId, userId, role: 'member', createdAt: at, updatedAt: at, ...over };
}

export function anInvite(projectId: string, invitedBy: string, over: Partial<Invite> = {}): Invite {
  return { id: id(), projectId, email: `i-${id()}@example.test`, role: 'member', invitedBy, createdAt: tick(), tokenHash: null, expiresAt: null, sentAt: null, ...over };
}

let taskNumber = 0;
export function aTask(projectId: string, over: Partial<Task> = {}): Task {
  const at = tick();
  return {
    id: id(),
    projectId,
    number: ++taskNumber,
    title: 'Fix login',
    description: '',
    status: 'todo',
    assigneeId: null,
    assignedAt: null,
    dueAt: null,
    labels: [],
    position: 'a0',
    fields: {},
    version: 1,
    createdBy: 'u',
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    startedAt: null,
    fromChat: false,
    ...over,
  };
}

export function aRoom(projectId: string, over: Partial<Room> = {}): Room {
  const at = tick();
  return { id: id(), projectId, name: `room-${id()}`, topic: '', private: false, createdBy: 'u', createdAt: at, updatedAt: at, ...over };
}

export function aRoomMember(roomId: string, projectId: string, userId: string, over: Partial<RoomMember> = {}): RoomMember {
  return { id: id(), roomId, projectId, userId, role: 'member', createdAt: tick(), ...over };
}

export function aMessage(roomId: string, projectId: string, over: Partial<Message> = {}): Message {
  return {
    id: id(),
    roomId,
    projectId,
    authorId: 'u',
    authorName: 'Ana',
    text: 'hello',
    source: 'web',
    externalId: null,
    createdAt: tick(),
    editedAt: null,
    deletedAt: null,
    ...over,
  };
}

export function anEmbedToken(projectId: string, over: Partial<EmbedToken> = {}): EmbedToken {
  return {
    id: id(),
    projectId,
    name: 'intranet',
    tokenHash: `e-${id()}`,
    origins: ['https://intranet.example'],
    role: 'viewer',
    identity: 'anonymous',
    secretSealed: null,
    createdBy: 'u',
    createdAt: tick(),
    ...over,
  };
}
