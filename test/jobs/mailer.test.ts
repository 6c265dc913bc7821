import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { MailSendError, type MailMessage, type Mailer } from '../../jobs/mail/ports.js';
import { SMTP_TIMEOUTS, createSmtpMailer } from '../../jobs/mail/smtp.js';
import { freePort } from '../support/services.js';
import { startSmtp, type SmtpServer, type SmtpServerOptions } from '../support/smtp.js';

const FROM = 'Taskwire <taskwire@example.com>';
const AUTH = { user: 'taskwire', pass: 'correct-horse-battery' };

let sequence = 0;
function message(overrides: Partial<MailMessage> = {}): MailMessage {
  sequence += 1;
  return {
    to: 'ana@example.com',
    subject: `Task due ${sequence}`,
    text: `Plain body ${sequence}`,
    html: `<p>HTML body <b>${sequence}</b></p>`,
    messageId: `reminder-${sequence}.${Date.now()}@taskwire.test`,
    ...overrides,
  };
}

/** Every JSON log line the mailer writes, at trace level, so a test can search them. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

async function failure(promise: Promise<unknown>): Promise<MailSendError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(MailSendError);
    return err as MailSendError;
  }
  throw new Error('expected a MailSendError, the promise resolved');
}

describe('SMTP mailer', function () {
  this.timeout(30_000);
  const servers: SmtpServer[] = [];
  const mailers: Mailer[] = [];

  async function server(options: SmtpServerOptions = {}): Promise<SmtpServer> {
    const started = await startSmtp(options);
    servers.push(started);
    return started;
  }

  function mailer(url: string, logger = capturingLogger().logger): Mailer {
    const created = createSmtpMailer({ url, from: FROM, logger });
    mailers.push(created);
    return created;
  }

  afterEach(async function () {
    await Promise.all(mailers.splice(0).map((m) => m.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('delivers subject, text and HTML parts, the Message-ID given, the From address and extra headers, after logging in', async function () {
    const smtp = await server({ auth: AUTH });
    const sent = message({ headers: { 'X-Taskwire-Reminder': 'task-42', 'Auto-Submitted': 'auto-generated' } });
    await mailer(smtp.url).send(sent);

    const mail = await smtp.waitForMail((m) => m.messageId === sent.messageId, 2_000);
    expect(mail.subject).to.equal(sent.subject);
    expect(mail.text.trim()).to.equal(sent.text);
    expect(mail.html.trim()).to.equal(sent.html);
    expect(mail.from).to.deep.equal({ name: 'Taskwire', address: 'taskwire@example.com' });
    expect(mail.to.map((a) => a.address)).to.deep.equal(['ana@example.com']);
    expect(mail.envelope).to.deep.equal({ from: 'taskwire@example.com', to: ['ana@example.com'] });
    expect(mail.headers['message-id']).to.equal(`<${sent.messageId}>`);
    expect(mail.headers['x-taskwire-reminder']).to.equal('task-42');
    expect(mail.headers['auto-submitted']).to.equal('auto-generated');
    expect(mail.user).to.equal(AUTH.user);
  });

  it('verifies the server and the credentials without sending', async function () {
    const smtp = await server({ auth: AUTH });
    await mailer(smtp.url).verify();
    const err = await failure(mailer(smtp.url.replace(AUTH.pass, 'not-the-password')).verify());
    expect(err.transient).to.equal(false);
    expect(err.responseCode).to.equal(535);
    expect(smtp.mails).to.have.length(0);
  });

  it('fails a send to a server that is down as transient, within seconds', async function () {
    const smtp = await server();
    await smtp.down();
    const started = Date.now();
    const err = await failure(mailer(smtp.url).send(message()));
    expect(Date.now() - started).to.be.below(3_000);
    expect(err.transient).to.equal(true);
    expect(err.responseCode).to.equal(null);
    expect(err.message).to.include('ECONNREFUSED');
  });

  it('fails fast while a server that was in use is down, and delivers through the same mailer once it is back', async function () {
    const smtp = await server({ auth: AUTH });
    const mail = mailer(smtp.url);
    await mail.send(message()); // leaves a logged-in connection idle in the pool

    await smtp.down();
    const lost = message();
    const started = Date.now();
    const err = await failure(mail.send(lost));
    expect(Date.now() - started).to.be.below(3_000);
    expect(err.transient).to.equal(true);

    await smtp.up();
    const after = message();
    await mail.send(after);
    await smtp.waitForMail((m) => m.messageId === after.messageId, 2_000);
    expect(smtp.mails.map((m) => m.messageId)).to.not.include(lost.messageId);
    expect(smtp.mails).to.have.length(2);
  });

  it('does not let a server restart between two sends fail the second', async function () {
    const smtp = await server({ auth: AUTH });
    const mail = mailer(smtp.url);
    await mail.send(message());
    await smtp.down();
    await smtp.up();
    // The pooled connection died with the old server; nodemailer must open a new one, not fail.
    const second = message();
    await mail.send(second);
    expect(smtp.mails.at(-1)?.messageId).to.equal(second.messageId);
  });

  it('refuses wrong credentials as permanent, with the 535 answer and without the password anywhere', async function () {
    const smtp = await server({ auth: AUTH });
    const password = 'Wr0ng:pass/word%';
    const url = `smtp://${AUTH.user}:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`;
    const { logger, lines } = capturingLogger();
    const err = await failure(mailer(url, logger).send(message()));

    expect(err.transient).to.equal(false);
    expect(err.responseCode).to.equal(535);
    expect(err.message).to.include('535');
    expect(err.message).to.match(/credentials invalid/i);
    for (const secret of [password, encodeURIComponent(password)]) {
      expect(inspect(err, { depth: 10 })).to.not.include(secret);
      expect(lines.join('\n')).to.not.include(secret);
    }
    expect(lines.length, 'nodemailer logs reach the logger').to.be.above(0);
    expect(smtp.mails).to.have.length(0);
  });

  it('redacts the password from the message and the logs when the server quotes it back', async function () {
    const smtp = await server({ auth: AUTH, quoteRefusedPassword: true });
    const password = 'Wr0ng:pass/word%';
    const url = `smtp://${AUTH.user}:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`;
    const { logger, lines } = capturingLogger();
    const err = await failure(mailer(url, logger).send(message()));

    expect(err.responseCode).to.equal(535);
    expect(err.message).to.include('password tried: [redacted]');
    expect(inspect(err, { depth: 10 })).to.not.include(password);
    expect(lines.join('\n')).to.include('[redacted]').and.not.include(password);
  });

  it('reports a recipient refused with 550 as permanent, and the next message goes through the same connection', async function () {
    const smtp = await server({ rejectRecipient: (to) => (to === 'gone@example.com' ? { code: 550, message: 'No such user here' } : undefined) });
    const mail = mailer(smtp.url);
    const err = await failure(mail.send(message({ to: 'gone@example.com' })));
    expect(err.transient).to.equal(false);
    expect(err.responseCode).to.equal(550);
    expect(err.message).to.include('No such user here');

    const next = message();
    await mail.send(next);
    expect(smtp.mails.map((m) => m.messageId)).to.deep.equal([next.messageId]);
  });

  it('reports a recipient deferred with 450 as transient', async function () {
    const smtp = await server({ rejectRecipient: () => ({ code: 450, message: 'Mailbox busy, try later' }) });
    const err = await failure(mailer(smtp.url).send(message()));
    expect(err.transient).to.equal(true);
    expect(err.responseCode).to.equal(450);
    expect(err.message).to.include('Mailbox busy');
  });

  describe('a server that accepts the connection but never greets', function () {
    let silent: Server;
    let port: number;
    const sockets = new Set<Socket>();
    before(async function () {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
      });
      port = await freePort();
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    });
    after(async function () {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('fails the send as transient within the default bound, not nodemailer\'s minutes', async function () {
      this.slow(SMTP_TIMEOUTS.connectionTimeout + 2_000);
      const started = Date.now();
      const err = await failure(mailer(`smtp://127.0.0.1:${port}`).send(message()));
      expect(Date.now() - started).to.be.within(SMTP_TIMEOUTS.connectionTimeout - 500, SMTP_TIMEOUTS.connectionTimeout + 2_000);
      expect(err.transient).to.equal(true);
      expect(err.message).to.include('ETIMEDOUT');
    });

    it('honours a shorter bound from the URL query', async function () {
      const started = Date.now();
      const err = await failure(mailer(`smtp://127.0.0.1:${port}?connectionTimeout=300`).send(message()));
      expect(Date.now() - started).to.be.below(2_000);
      expect(err.transient).to.equal(true);
    });
  });

  it('upgrades with STARTTLS when offered, refusing a self-signed certificate unless the URL says tls.rejectUnauthorized=false', async function () {
    const smtp = await server({ starttls: true });
    const refused = await failure(mailer(smtp.url).send(message()));
    expect(refused.transient).to.equal(false);
    expect(refused.message).to.match(/certificate/i);

    const sent = message();
    await mailer(`${smtp.url}?tls.rejectUnauthorized=false`).send(sent);
    const mail = await smtp.waitForMail((m) => m.messageId === sent.messageId, 2_000);
    expect(mail.secure).to.equal(true);
  });

  it('refuses a malformed URL itself, so nodemailer\'s legacy parser never prints its password in a warning', async function () {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      expect(() => mailer('smtps://taskwire:s3cret-pass@localhost:notaport')).to.throw(/SMTP_URL is not usable/);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.join('\n')).to.not.include('s3cret-pass');
  });

  it('refuses a Message-ID that is not left@right as permanent, before connecting', async function () {
    const smtp = await server();
    const err = await failure(mailer(smtp.url).send(message({ messageId: '<not an id>' })));
    expect(err.transient).to.equal(false);
    expect(smtp.mails).to.have.length(0);
  });

  it('lets a send in flight finish on close, and refuses sends after it', async function () {
    const smtp = await server();
    const mail = mailer(smtp.url);
    const inFlight = message();
    const sending = mail.send(inFlight);
    await mail.close();
    await sending;
    expect(smtp.mails.map((m) => m.messageId)).to.deep.equal([inFlight.messageId]);
    const err = await failure(mail.send(message()));
    expect(err.transient).to.equal(true);
  });
});
