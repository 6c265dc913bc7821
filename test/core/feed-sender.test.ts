// The feed sender's record of failure on its cursor, which decides whether a
// change or the reconciler may wake it (jobs/nudge.ts): set when a run stops
// at a change that fails, cleared by any run that ends without an error, and
// left alone while a run waits out a rate limit.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createLocalBus } from '../../core/bus/local.js';
import type { Change, LinkCursor } from '../../core/domain/entities.js';
import { createLogger } from '../../core/logger.js';
import { DEFAULT_PASSWORD_POLICY } from '../../core/services/credentials.js';
import { commit, defaultClock, type ServiceDeps } from '../../core/services/deps.js';
import { drainFeed, type FeedTarget } from '../../core/services/feed-sender.js';
import { forEachStore } from '../contract/store/harness.js';

class RateLimited extends Error {}

forEachStore('A feed sender\'s failure record', (h) => {
  let deps: ServiceDeps;
  let projectId: string;
  const cursorId = 'sender-under-test';
  const cursor = async (): Promise<LinkCursor> => (await h.store.linkCursors.get(cursorId))!;
  const appendChange = () => commit(deps, { projectId }, (uow) => uow.append({ type: 'task.created', actorId: null, data: { id: randomUUID() } }));
  const setCursor = (patch: Partial<LinkCursor>) => h.store.write({ projectId: null }, async (uow) => uow.replace('linkCursors', { ...(await cursor()), ...patch }));

  beforeEach(async () => {
    const logger = createLogger('error');
    deps = { store: h.store, bus: createLocalBus(logger), logger, ...defaultClock(), passwords: DEFAULT_PASSWORD_POLICY };
    projectId = randomUUID();
    const start: LinkCursor = { id: cursorId, seq: 0, lockedBy: null, lockedUntil: null, failedAt: null, updatedAt: new Date().toISOString() };
    await h.store.write({ projectId: null }, (uow) => uow.insert('linkCursors', start));
  });

  it('is set when a run stops at a failing change, and cleared by the run that sends it', async () => {
    await appendChange();
    await appendChange();
    const sent: number[] = [];
    let failing = true;
    const target: FeedTarget = {
      cursorId,
      projectId,
      apply: async (change: Change) => {
        if (failing) throw new Error('the receiver is down');
        sent.push(change.seq);
      },
    };
    let thrown: unknown = null;
    await drainFeed(deps, target).catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(Error);
    const failed = await cursor();
    expect(failed).to.include({ seq: 0, lockedBy: null });
    expect(failed.failedAt).to.be.a('string');
    failing = false;
    await drainFeed(deps, target);
    expect(sent).to.deep.equal([1, 2]);
    expect(await cursor()).to.include({ seq: 2, failedAt: null, lockedBy: null });
  });

  it('is cleared by a run with nothing left to send (another run sent it all after the failure was noted)', async () => {
    await appendChange();
    await setCursor({ seq: 1, failedAt: new Date(Date.now() - 5_000).toISOString() });
    await drainFeed(deps, { cursorId, projectId, apply: async () => undefined });
    expect((await cursor()).failedAt).to.equal(null);
  });

  it('stays as it was while a run waits out a rate limit, until a change goes through', async () => {
    await appendChange();
    const earlier = new Date(Date.now() - 5_000).toISOString();
    await setCursor({ failedAt: earlier });
    // Two rate limits in a row: the cursor is read during the second wait, after the lock was renewed once.
    let limits = 0;
    let secondWait!: () => void;
    const waiting = new Promise<void>((resolve) => (secondWait = resolve));
    const run = drainFeed(deps, {
      cursorId,
      projectId,
      apply: async () => {
        if (limits < 2) throw new RateLimited('slow down');
      },
      waitBeforeRetry: (error) => {
        if (!(error instanceof RateLimited)) return null;
        if (++limits === 2) secondWait();
        return limits === 2 ? 1_000 : 50;
      },
    });
    await waiting;
    const during = await cursor();
    expect(during.lockedBy, 'the run holds the lock while it waits').to.be.a('string');
    expect(during.failedAt).to.equal(earlier);
    await run;
    expect(await cursor()).to.include({ seq: 1, failedAt: null, lockedBy: null });
  });
});
