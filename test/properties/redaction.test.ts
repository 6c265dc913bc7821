// The feed's redaction as a property: for random projects (people with random
// roles, public and private rooms with random members, messages, people leaving
// rooms, rooms deleted), every reader's feed shows a message change exactly when
// a plain model says they may read its room, and a private room's text never
// reaches anyone else in any form. Real services on a real SQLite file.

import { expect } from 'chai';
import * as fc from 'fast-check';
import { createLocalBus } from '../../core/bus/local.js';
import type { UserActor } from '../../core/domain/actor.js';
import type { Role } from '../../core/domain/entities.js';
import { createLogger } from '../../core/logger.js';
import { readFeed } from '../../core/services/changes.js';
import { defaultClock, type ServiceDeps } from '../../core/services/deps.js';
import { postMessage } from '../../core/services/messages.js';
import { createProject } from '../../core/services/projects.js';
import { addRoomMember, createRoom, deleteRoom, removeRoomMember } from '../../core/services/rooms.js';
import { buildUser } from '../../core/services/users.js';
import { createSqliteStore } from '../../core/store/sqlite/index.js';
import type { Store } from '../../core/store/ports.js';
import { makeTempDir } from '../support/tmp.js';

const PEOPLE = 5;
const ROLES: (Role | null)[] = ['viewer', 'member', 'admin', 'owner', null];

interface Scenario {
  roles: (Role | null)[];
  rooms: { private: boolean; members: boolean[] }[];
  steps: ({ kind: 'post'; room: number; author: number } | { kind: 'leave'; room: number; who: number } | { kind: 'delete'; room: number })[];
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    roles: fc.array(fc.constantFrom(...ROLES), { minLength: PEOPLE, maxLength: PEOPLE }),
    rooms: fc.array(fc.record({ private: fc.boolean(), members: fc.array(fc.boolean(), { minLength: PEOPLE, maxLength: PEOPLE }) }), { minLength: 1, maxLength: 4 }),
  })
  .chain((base) =>
    fc.record({
      roles: fc.constant(base.roles),
      rooms: fc.constant(base.rooms),
      steps: fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.record({ kind: fc.constant('post' as const), room: fc.nat(base.rooms.length - 1), author: fc.nat(PEOPLE - 1) }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), room: fc.nat(base.rooms.length - 1), who: fc.nat(PEOPLE - 1) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), room: fc.nat(base.rooms.length - 1) }) },
        ),
        { maxLength: 12 },
      ),
    }),
  );

const actorOf = (userId: string): UserActor => ({ kind: 'user', userId, tokenId: 'property', tokenKind: 'session', isAdmin: false });

describe('The feed\'s redaction, as a property', function () {
  this.timeout(120_000);
  let store: Store;
  let deps: ServiceDeps;
  let ownerId: string;
  const people: string[] = [];

  before(async () => {
    store = await createSqliteStore({ path: `${makeTempDir('tw-redaction')}/taskwire.sqlite` });
    deps = { store, bus: createLocalBus(createLogger('silent')), logger: createLogger('silent'), ...defaultClock(), passwords: { cost: 1024 } };
    const users = Array.from({ length: PEOPLE + 1 }, (_, i) => buildUser(deps, { email: `p${i}@example.test`, name: `P${i}`, passwordHash: null }));
    await store.write({ projectId: null }, (uow) => users.forEach((u) => uow.insert('users', u)));
    ownerId = users[PEOPLE]!.id;
    people.push(...users.slice(0, PEOPLE).map((u) => u.id));
  });
  after(async () => store?.close());

  it('shows each reader exactly the messages of rooms they may read, and nobody a private room\'s text otherwise', async () => {
    let checks = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const owner = actorOf(ownerId);
        const project = await createProject(deps, owner, { name: 'Property' });
        const now = new Date().toISOString();
        await store.write({ projectId: project.id }, (uow) =>
          s.roles.forEach((role, i) => role && uow.insert('members', { id: `${project.id}:${i}`, projectId: project.id, userId: people[i]!, role, createdAt: now, updatedAt: now })),
        );
        // The model: who is in which room, and which rooms still exist.
        const rooms = await Promise.all(s.rooms.map((r, i) => createRoom(deps, owner, project.id, { name: `room-${i}`, private: r.private })));
        const inRoom = s.rooms.map((r) => new Set(r.members.flatMap((m, i) => (m && s.roles[i] ? [i] : []))));
        for (const [r, room] of rooms.entries()) for (const i of inRoom[r]!) await addRoomMember(deps, owner, room.id, { userId: people[i]! });
        const gone = new Set<number>();
        const texts = new Map<string, number>();
        for (const [n, step] of s.steps.entries()) {
          if (gone.has(step.room)) continue;
          const room = rooms[step.room]!;
          if (step.kind === 'delete') {
            await deleteRoom(deps, owner, room.id);
            gone.add(step.room);
          } else if (step.kind === 'leave') {
            if (!inRoom[step.room]!.has(step.who)) continue;
            await removeRoomMember(deps, owner, room.id, people[step.who]!);
            inRoom[step.room]!.delete(step.who);
          } else {
            const text = `secret-${project.id.slice(0, 8)}-${n}`;
            // Only someone allowed to post does; a refusal is the policy's business, not this property's.
            const posted = await postMessage(deps, actorOf(people[step.author]!), room.id, { text }).catch(() => null);
            if (posted) texts.set(text, step.room);
          }
        }
        const mayRead = (i: number, r: number) => s.roles[i] !== null && !gone.has(r) && (!s.rooms[r]!.private || inRoom[r]!.has(i));
        for (const [i, userId] of people.entries()) {
          if (!s.roles[i]) continue;
          const feed = await readFeed(deps, actorOf(userId), project.id, 0, 1000);
          const shown = JSON.stringify(feed.changes);
          for (const [text, r] of texts) {
            checks += 1;
            expect(shown.includes(text), `P${i} (${s.roles[i]}) and room ${r} (${s.rooms[r]!.private ? 'private' : 'public'}${gone.has(r) ? ', deleted' : ''}) with ${text}`).to.equal(mayRead(i, r));
          }
        }
      }),
      { numRuns: 400 },
    );
    expect(checks).to.be.above(1000);
  });
});
