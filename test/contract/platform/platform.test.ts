import { expect } from 'chai';
import { PlatformError } from '../../../adapters/bridge/ports.js';
import { PLATFORMS, type PlatformWorld } from './harness.js';

for (const entry of PLATFORMS) {
  describe(`Platform contract [${entry.name}]`, function () {
    this.timeout(30_000);
    let w: PlatformWorld;
    let channel: { teamId: string; channelId: string };

    beforeEach(async () => {
      w = await entry.start();
      channel = { teamId: w.teamId, channelId: w.channelId };
    });
    afterEach(async () => w?.stop());

    it('posts under the author\'s name and returns the id of the new message', async () => {
      const id = await w.platform.post(channel, { text: 'hello world', authorName: 'Ana Lima' });
      expect(id).to.be.a('string').and.not.equal('');
      expect(w.messages()).to.deep.equal([{ id, text: 'hello world' }]);
    });

    it('never lets mirrored text ping anyone', async () => {
      await w.platform.post(channel, { text: '<!channel> <@U0CONTRACT> <@500000000000000001> @everyone @here & <https://evil.example|click>', authorName: 'Ana' });
      expect(w.messages()).to.have.length(1);
      expect(w.lastPostCouldPing()).to.equal(false);
    });

    it('updates and removes its own message; removing one already gone is fine', async () => {
      const id = await w.platform.post(channel, { text: 'first', authorName: 'Ana' });
      await w.platform.update(channel, id, { text: 'second', authorName: 'Ana' });
      expect(w.messages().map((m) => m.text)).to.deep.equal(['second']);
      await w.platform.remove(channel, id);
      expect(w.messages()).to.deep.equal([]);
      await w.platform.remove(channel, id);
    });

    it('answers privately and by direct message', async () => {
      await w.platform.ephemeral(channel, w.userId, 'only for you');
      await w.platform.directMessage(w.teamId, w.userId, 'a notification');
      expect(w.privateTexts()).to.include.members(['only for you', 'a notification']);
      expect(w.messages()).to.deep.equal([]);
    });

    it('under a rate limit either waits as the platform asked and posts, or reports it with the Retry-After; never loses the post silently', async () => {
      w.rateLimit(2, 1_000);
      const started = Date.now();
      const outcome = await w.platform.post(channel, { text: 'x', authorName: 'Ana' }).then(
        (id) => ({ id }),
        (error: unknown) => ({ error }),
      );
      if ('id' in outcome) {
        expect(Date.now() - started, 'it waited').to.be.at.least(900);
        expect(w.messages().map((m) => m.id)).to.deep.equal([outcome.id]);
      } else {
        expect(outcome.error).to.be.instanceOf(PlatformError);
        expect(outcome.error).to.include({ transient: true, retryAfterMs: 2_000 });
        expect(w.messages()).to.deep.equal([]);
      }
    });

    it('reports a server error as transient and a missing channel as final', async () => {
      w.serverError();
      const down = await w.platform.post(channel, { text: 'x', authorName: 'Ana' }).catch((e: unknown) => e);
      expect(down).to.be.instanceOf(PlatformError);
      expect(down).to.include({ transient: true, retryAfterMs: null });
      const missing = await w.platform.post({ teamId: w.teamId, channelId: w.missingChannelId }, { text: 'x', authorName: 'Ana' }).catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(PlatformError);
      expect(missing).to.include({ transient: false });
    });
  });
}
