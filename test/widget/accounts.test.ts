// Accounts and administration in a real Chromium against a real server under
// the default `invite` policy, with mail going to a real SMTP server: the first
// person signs up in the app and administers the server while a stranger is
// refused; an admin invites, resends and revokes from the Members tab and the
// invitee signs up through the mailed link; "Forgot password?" and the
// /reset-password page; the admin screen (policy, search, disable with the
// victim's open page signed out at once, the audit log); /verify-email and
// accepting an invite while signed in (the wrong account is told whose it is);
// and, on a server without SMTP, the outbox, the delivery log and markup in
// names shown as text.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Client, startApi, type ApiServer } from '../support/api.js';
import { collectErrors, screenshot, useBrowser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';

const VIEWPORT = { width: 1280, height: 820 };
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new password';
let seq = 0;
const address = (name: string) => `${name}.${Date.now().toString(36)}${++seq}@example.test`;

/** The full one-time link of kind `path` in a mail to `email`, skipping links already used. */
async function linkIn(smtp: SmtpServer, email: string, path: string, skip: string[] = []): Promise<string> {
  const find = (text: string) => new RegExp(`https?://[^\\s"<>]+/${path}\\?token=[\\w-]+`).exec(text)?.[0];
  const mail = await smtp.waitForMail((m) => m.to.some((t) => t.address === email) && !!find(m.text) && !skip.includes(find(m.text)!), 10_000);
  return find(mail.text)!;
}

const sessionOf = (page: Page): Promise<string> => page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string } }).localStorage.getItem('taskwire.session'));

/** Fills the sign-in card (Create account or Sign in, whichever is selected) and submits it. */
async function fillCard(page: Page, fields: { name?: string; email?: string; password: string }): Promise<void> {
  const card = page.locator('taskwire-app .auth-card');
  if (fields.name !== undefined) await card.locator('input[name=name]').fill(fields.name);
  if (fields.email !== undefined) await card.locator('input[name=email]').fill(fields.email);
  await card.locator('input[name=password]').fill(fields.password);
  await card.locator('button.primary').click();
}

const selectedTab = (page: Page): Promise<string | null> => page.locator('taskwire-app .auth-card [role=tab][aria-selected=true]').textContent();

describe('Accounts and administration in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let browser: Browser;
  let smtp: SmtpServer;
  let api: ApiServer;
  const contexts: BrowserContext[] = [];
  /** The administrator's page, kept open from test to test. */
  let adminPage: Page;
  let admin: Client;
  let adminName: string;
  let projectId: string;
  /** The invitee's page and address. */
  let cyPage: Page;
  let cy: string;

  async function open(url = api.url, viewport = VIEWPORT): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    smtp = await startSmtp();
    // An empty REGISTRATION is the default policy, `invite`, as on a fresh install.
    api = await startApi('sqlite', this, undefined, { REGISTRATION: '', SMTP_URL: smtp.url });
  });

  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await api?.stop();
    await smtp?.stop();
  });

  it('lets the first person sign up in the app as the server\'s administrator; a second browser is refused with the server\'s 403', async () => {
    adminPage = await open();
    const errors = collectErrors(adminPage);
    const card = adminPage.locator('taskwire-app .auth-card');
    await card.locator('.policy', { hasText: 'You are the first: your account will administer this server.' }).waitFor();
    expect(await selectedTab(adminPage), 'an empty server opens on sign-up').to.equal('Create account');
    adminName = 'Ada Admin';
    await fillCard(adminPage, { name: adminName, email: address('ada'), password: PASSWORD });
    await adminPage.locator('taskwire-app .topbar').waitFor();
    await adminPage.locator('taskwire-app .admin-link').waitFor();
    admin = new Client(api.url, await sessionOf(adminPage));
    expect((await admin.get('/api/me')).body).to.include({ name: adminName, isAdmin: true, verified: true });
    expect(await adminPage.locator('taskwire-app .unverified').count()).to.equal(0);

    const stranger = await open();
    const other = stranger.locator('taskwire-app .auth-card');
    await other.locator('.policy', { hasText: 'Sign-up here needs an invite link' }).waitFor();
    expect(await selectedTab(stranger), 'not the first any more: sign in first').to.equal('Sign in');
    await other.locator('[role=tab]', { hasText: 'Create account' }).click();
    const email = address('stranger');
    await fillCard(stranger, { name: 'Sam Stranger', email, password: PASSWORD });
    const refused = other.locator('.error');
    await refused.waitFor();
    expect(await refused.textContent()).to.equal('Sign-up on this server needs an invite: ask a project admin to invite your address, then use the link in the mail.');
    expect(await stranger.locator('taskwire-app .topbar').count()).to.equal(0);
    expect((await admin.get(`/api/admin/users?q=${encodeURIComponent(email)}`)).body.items).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('invites from the Members tab (pending, sent, expires), resends (the first link then fails with the server\'s message) and revokes; the invitee signs up through the mailed link into the project', async () => {
    const page = adminPage;
    await page.locator('taskwire-app #new-project').fill('Launch plan');
    await page.locator('taskwire-app .new-project button').click();
    await page.locator('taskwire-app taskwire-board').waitFor();
    projectId = decodeURIComponent(/#\/projects\/([^/]+)/.exec(page.url())![1]!);
    await page.locator('taskwire-app .tab', { hasText: 'Members' }).click();
    const invite = async (email: string, role: string) => {
      await page.locator('taskwire-app .invite input[name=email]').fill(email);
      await page.locator('taskwire-app .invite select').selectOption(role);
      await page.locator('taskwire-app .invite button').click();
      await page.locator('taskwire-app .flash', { hasText: `Invite mailed to ${email}.` }).waitFor();
    };
    cy = address('cy');
    const dee = address('dee');
    const old = address('old');
    const sent = Date.now();
    await invite(cy, 'member');
    await invite(dee, 'viewer');
    await invite(old, 'member');
    const row = (email: string): Locator => page.locator(`taskwire-app .invites tr[data-email="${email}"]`);
    await row(old).waitFor();

    // Seven days are long to wait: this one's expiry is moved into the past in the store.
    const stored = (await admin.get(`/api/projects/${projectId}/invites`)).body.items.find((i: { email: string }) => i.email === old);
    const record = (await api.server.store.invites.get(stored.id))!;
    await api.server.store.write({ projectId: null }, (uow) => uow.replace('invites', { ...record, expiresAt: new Date(Date.now() - 60_000).toISOString() }));
    await page.locator('taskwire-app .tab', { hasText: 'Board' }).click();
    await page.locator('taskwire-app .tab', { hasText: 'Members' }).click();
    await page.locator(`taskwire-app .invites tr[data-email="${old}"][data-state="expired"]`).waitFor();

    expect(await row(cy).locator('.state').textContent()).to.equal('pending');
    expect(await row(cy).locator('.role').textContent()).to.equal('member');
    expect(await row(dee).locator('.role').textContent()).to.equal('viewer');
    expect(await row(old).locator('.state').textContent()).to.equal('expired');
    const sentAt = Date.parse((await row(cy).locator('.sent time').getAttribute('datetime'))!);
    const expiresAt = Date.parse((await row(cy).locator('.expires time').getAttribute('datetime'))!);
    expect(Math.abs(sentAt - sent)).to.be.below(30_000);
    expect(expiresAt - sentAt).to.be.closeTo(7 * 24 * 3_600_000, 60_000);
    expect(await row(cy).locator('.sent time').textContent(), 'shown as a date').to.not.equal('—');
    expect(await row(cy).locator('button.resend').count()).to.equal(1);
    expect(await row(cy).locator('button.revoke').count()).to.equal(1);
    await screenshot(page, 'members-invites');

    const first = await linkIn(smtp, cy, 'invite');
    expect(first.startsWith(`${api.url}/invite?token=`)).to.equal(true);
    await row(cy).locator('button.resend').click();
    await page.locator('taskwire-app .flash', { hasText: `A new invite was mailed to ${cy}; the earlier link no longer works.` }).waitFor();
    const second = await linkIn(smtp, cy, 'invite', [first]);
    const deeLink = await linkIn(smtp, dee, 'invite');
    await row(dee).locator('button.revoke').click();
    await page.locator('taskwire-app .flash', { hasText: `The invite for ${dee} is revoked.` }).waitFor();
    await row(dee).waitFor({ state: 'detached' });
    expect((await admin.get(`/api/projects/${projectId}/invites`)).body.items.map((i: { email: string }) => i.email).sort()).to.deep.equal([cy, old].sort());

    // The invitee opens the first (replaced) link: the card asks for the address, and the server says why not.
    cyPage = await open(first);
    const errors = collectErrors(cyPage);
    const card = cyPage.locator('taskwire-app .auth-card');
    await card.locator('.policy', { hasText: 'You were invited' }).waitFor();
    expect(await selectedTab(cyPage)).to.equal('Create account');
    await fillCard(cyPage, { name: 'Cy Twombly', email: cy, password: PASSWORD });
    await card.locator('.error', { hasText: 'This invite link is not valid any more: it was used, it expired, or it was revoked or resent.' }).waitFor();
    expect(cyPage.url()).to.equal(first);

    await cyPage.goto(second);
    await card.locator('.policy', { hasText: 'You were invited' }).waitFor();
    await fillCard(cyPage, { name: 'Cy Twombly', email: cy, password: PASSWORD });
    await cyPage.locator('taskwire-app .project-header h1', { hasText: 'Launch plan' }).waitFor();
    await cyPage.locator('taskwire-app .flash', { hasText: 'Welcome to Launch plan.' }).waitFor();
    const landed = new URL(cyPage.url());
    expect([landed.pathname, landed.search, landed.hash], 'the token left the address bar').to.deep.equal(['/', '', `#/projects/${projectId}/board`]);
    expect(await cyPage.locator('taskwire-app .admin-link').count(), 'no admin link for a member').to.equal(0);
    expect(await cyPage.locator('taskwire-app .unverified').count(), 'the invite link proved the address').to.equal(0);
    const members = (await admin.get(`/api/projects/${projectId}/members`)).body.items as { email: string; role: string }[];
    expect(members.find((m) => m.email === cy)?.role).to.equal('member');

    // The admin's Members tab: Cy is a member, no longer invited.
    await page.locator('taskwire-app .tab', { hasText: 'Board' }).click();
    await page.locator('taskwire-app .tab', { hasText: 'Members' }).click();
    await page.locator('taskwire-app .members tr', { hasText: 'Cy Twombly' }).waitFor();
    expect(await row(cy).count()).to.equal(0);

    // A revoked link fails too, with the server's words.
    const late = await open(deeLink);
    await late.locator('taskwire-app .auth-card .policy', { hasText: 'You were invited' }).waitFor();
    await fillCard(late, { name: 'Dee', email: dee, password: PASSWORD });
    await late.locator('taskwire-app .auth-card .error', { hasText: 'This invite link is not valid any more' }).waitFor();
    expect(errors.filter((e) => !/status of (400|404)/.test(e))).to.deep.equal([]);
  });

  it('"Forgot password?" mails a link; the /reset-password page sets a new password that works while the old one does not', async () => {
    const page = cyPage;
    const card = page.locator('taskwire-app .auth-card');
    await page.locator('taskwire-app details.account summary').click();
    await page.locator('taskwire-app .account-menu .sign-out').click();
    await card.waitFor();
    expect(await selectedTab(page), 'a returning person signs in').to.equal('Sign in');
    expect(await card.locator('input[name=email]').inputValue(), 'the last address is remembered').to.equal(cy);
    await card.locator('.policy', { hasText: 'Sign-up here needs an invite link' }).waitFor();
    await screenshot(page, 'sign-in');

    await card.locator('button.forgot').click();
    expect(await card.locator('input[name=email]').inputValue()).to.equal(cy);
    const answered = () => page.waitForResponse((r) => r.url().endsWith('/api/auth/password-reset'));
    const sent = card.locator('.sent');
    let reply = answered();
    await card.locator('button.primary').click();
    expect((await reply).status()).to.equal(202);
    expect(await sent.textContent()).to.include('If an account exists for that address, a link is on its way');
    // The same for an address nobody has.
    await card.locator('input[name=email]').fill(address('nobody'));
    reply = answered();
    await card.locator('button.primary').click();
    await reply;
    expect(await sent.textContent()).to.include('If an account exists for that address, a link is on its way');

    const link = await linkIn(smtp, cy, 'reset-password');
    expect(link.startsWith(`${api.url}/reset-password?token=`)).to.equal(true);
    await page.goto(link);
    const form = page.locator('taskwire-app .link-page[data-kind="reset-password"]');
    await form.locator('input[name=password]').fill(NEW_PASSWORD);
    await form.locator('input[name=repeat]').fill('something else');
    await form.locator('button.primary').click();
    await form.locator('.error', { hasText: 'The two passwords differ' }).waitFor();
    await form.locator('input[name=repeat]').fill(NEW_PASSWORD);
    await form.locator('button.primary').click();
    await card.locator('.notice', { hasText: 'Your password is changed: sign in with the new one.' }).waitFor();
    const back = new URL(page.url());
    expect([back.pathname, back.search]).to.deep.equal(['/', '']);
    expect(await card.locator('input[name=email]').inputValue()).to.equal(cy);

    await fillCard(page, { password: PASSWORD });
    await card.locator('.error', { hasText: 'The email or password is wrong.' }).waitFor();
    await fillCard(page, { password: NEW_PASSWORD });
    await page.locator('taskwire-app .project-header h1', { hasText: 'Launch plan' }).waitFor();
    expect((await new Client(api.url).post('/api/auth/login', { email: cy, password: PASSWORD })).status).to.equal(401);
    expect((await new Client(api.url).post('/api/auth/login', { email: cy, password: NEW_PASSWORD })).status).to.equal(200);

    // The link works once: the page shows the server's answer.
    await page.goto(link);
    await form.locator('input[name=password]').fill('yet another password');
    await form.locator('input[name=repeat]').fill('yet another password');
    await form.locator('button.primary').click();
    await form.locator('.error', { hasText: 'This link is not valid any more' }).waitFor();
    expect((await new Client(api.url).post('/api/auth/login', { email: cy, password: NEW_PASSWORD })).status).to.equal(200);
  });

  it('the admin screen: the policy set to open lets a stranger sign up; search, disable (their open page is signed out within a second), the audit log, enable, admin rights, reset links, new accounts', async () => {
    const page = adminPage;
    const errors = collectErrors(page);
    await page.locator('taskwire-app .admin-link').click();
    const screen = page.locator('taskwire-app taskwire-admin');
    await screen.locator('.users tr[data-user]').first().waitFor();
    expect(await page.locator('taskwire-app .admin-link').getAttribute('aria-current')).to.equal('page');

    await screen.locator('.policy select').selectOption('open');
    await screen.locator('.policy button.primary').click();
    await screen.locator('.flash', { hasText: 'Sign-up is now “open”.' }).waitFor();
    expect((await admin.get('/api/admin/settings')).body.registration).to.equal('open');
    const policyEntry = screen.locator('.audit tr[data-action="settings.updated"]');
    await policyEntry.waitFor();
    expect(await policyEntry.locator('.details').textContent()).to.equal('registration: invite → open');

    // A stranger signs up; their address is not confirmed until they open the mailed link.
    const stranger = await open();
    const strangerErrors = collectErrors(stranger);
    const card = stranger.locator('taskwire-app .auth-card');
    await card.locator('.policy', { hasText: 'Anyone may create an account here. We mail you a link to confirm your address.' }).waitFor();
    await card.locator('[role=tab]', { hasText: 'Create account' }).click();
    const email = address('sam');
    await fillCard(stranger, { name: 'Sam Stranger', email, password: PASSWORD });
    const marker = stranger.locator('taskwire-app .account .unverified');
    await marker.waitFor();
    expect(await marker.textContent()).to.equal('address not confirmed');
    await stranger.locator('taskwire-app details.account summary').click();
    expect(await stranger.locator('taskwire-app .unverified-note').textContent()).to.include('open the link we mailed to it');
    await stranger.goto(await linkIn(smtp, email, 'verify-email'));
    await stranger.locator('taskwire-app .flash', { hasText: 'Your address is confirmed.' }).waitFor();
    expect(new URL(stranger.url()).pathname).to.equal('/');
    expect(new URL(stranger.url()).search).to.equal('');
    expect(await marker.count()).to.equal(0);
    await stranger.locator('taskwire-app taskwire-inbox .bell').waitFor();
    const strangerToken = await sessionOf(stranger);

    // Search.
    await screen.locator('.search input').fill('sam.');
    const row = screen.locator(`.users tr[data-email="${email}"]`);
    await row.waitFor();
    await screen.locator('.users tr[data-user]', { hasText: adminName }).waitFor({ state: 'detached' });
    expect(await screen.locator('.users tr[data-user]').count()).to.equal(1);
    const flags = () => row.locator('[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag')));
    expect(await flags()).to.deep.equal(['enabled', 'verified']);

    // Disable: the stranger's open page is signed out at once, and their token stops.
    const started = Date.now();
    await row.locator('button[data-action=disable]').click();
    await card.waitFor({ timeout: 5000 });
    const took = Date.now() - started;
    expect(took, `signed out after ${took} ms`).to.be.below(1500);
    expect(await card.locator('.notice').textContent()).to.include('You were signed out');
    expect((await new Client(api.url, strangerToken).get('/api/me')).status).to.equal(401);
    await screen.locator('.flash', { hasText: `Sam Stranger (${email}) is disabled` }).waitFor();
    await row.locator('[data-flag=disabled]').waitFor();
    const entry = screen.locator(`.audit tr[data-action="user.updated"][data-target="${(await admin.get(`/api/admin/users?q=${encodeURIComponent(email)}`)).body.items[0].id}"]`);
    await entry.waitFor();
    expect(await entry.locator('.actor').textContent()).to.include(adminName);
    expect(await entry.locator('.what').textContent()).to.include('Sam Stranger');
    expect(await entry.locator('.details').textContent()).to.equal(`email: ${email} · disabled: true`);
    expect(await entry.locator('.ip').textContent()).to.match(/\d|:/);
    expect(Date.now() - Date.parse((await entry.locator('time').getAttribute('datetime'))!)).to.be.below(30_000);

    await fillCard(stranger, { password: PASSWORD });
    await card.locator('.error', { hasText: 'This account is disabled; ask an administrator.' }).waitFor();
    await row.locator('button[data-action=enable]').click();
    await row.locator('[data-flag=enabled]').waitFor();
    await fillCard(stranger, { password: PASSWORD });
    await stranger.locator('taskwire-app .topbar').waitFor();

    await row.locator('button[data-action=make-admin]').click();
    await row.locator('[data-flag=admin]').waitFor();
    expect((await new Client(api.url, await sessionOf(stranger)).get('/api/me')).body.isAdmin).to.equal(true);
    await row.locator('button[data-action=remove-admin]').click();
    await row.locator('[data-flag=admin]').waitFor({ state: 'detached' });
    await row.locator('button[data-action=reset]').click();
    await screen.locator('.flash', { hasText: `A password reset link was mailed to ${email}.` }).waitFor();
    await linkIn(smtp, email, 'reset-password');

    // Nobody disables or demotes themselves: the admin's own row offers neither.
    await screen.locator('.search input').fill('');
    const own = screen.locator('.users tr[data-user]', { hasText: adminName });
    await own.waitFor();
    expect(await own.locator('button[data-action=disable], button[data-action=remove-admin]').count()).to.equal(0);

    // A new account; its person chooses a password through the mailed link.
    const made = address('made');
    const create = screen.locator('form.create-user');
    await create.locator('input[name=name]').fill('Made By Admin');
    await create.locator('input[name=email]').fill(made);
    await create.locator('button').click();
    await screen.locator('.flash', { hasText: `Account created for ${made}` }).waitFor();
    await screen.locator(`.users tr[data-email="${made}"]`).waitFor();
    await linkIn(smtp, made, 'reset-password');
    const users = (await admin.get('/api/admin/stats')).body.users as number;
    await screen.locator('[data-figure=users] dd', { hasText: String(users) }).waitFor();
    expect(errors).to.deep.equal([]);
    expect(strangerErrors.filter((e) => !/status of (400|401)/.test(e))).to.deep.equal([]);
  });

  it('confirms an address signed out; accepts an invite on the /invite page while signed in; the wrong account reads whom it was for and switches', async () => {
    // Open sign-up (set in the last test): Vic has an account, not yet confirmed, so adding them mails an invite.
    const vic = address('vic');
    expect((await new Client(api.url).post('/api/auth/register', { email: vic, name: 'Vic Chesnutt', password: PASSWORD })).status).to.equal(201);
    const added = await admin.post(`/api/projects/${projectId}/members`, { email: vic, role: 'viewer' });
    expect(added.body.invite).to.include({ email: vic, state: 'pending' });
    const link = await linkIn(smtp, vic, 'invite');

    // Signed out, the address check says so on the sign-in card; a made-up link gets the server's reason.
    const fresh = await open(`${api.url}/verify-email?token=twl_made-up`);
    await fresh.locator('taskwire-app .link-page[data-kind="verify-email"] .error', { hasText: 'This link is not valid any more' }).waitFor();
    expect(await fresh.locator('taskwire-app .link-page a.home').getAttribute('href')).to.equal('/');
    await fresh.goto(await linkIn(smtp, vic, 'verify-email'));
    await fresh.locator('taskwire-app .auth-card .notice', { hasText: 'Your address is confirmed: sign in to go on.' }).waitFor();
    expect(new URL(fresh.url()).pathname).to.equal('/');
    expect(new URL(fresh.url()).search).to.equal('');

    // Cy is signed in on this browser: the page offers to join as Cy, and the server says no.
    const page = cyPage;
    await page.goto(link);
    const card = page.locator('taskwire-app .link-page[data-kind="invite"]');
    expect(await card.locator('.as').textContent()).to.equal(cy);
    await card.locator('button.accept').click();
    await card.locator('.error', { hasText: `This invite was sent to ${vic}; use that address.` }).waitFor();
    const cyToken = await sessionOf(page);
    await card.locator('button.other').click();
    const signIn = page.locator('taskwire-app .auth-card');
    await signIn.locator('.policy', { hasText: 'You were invited' }).waitFor();
    expect((await new Client(api.url, cyToken).get('/api/me')).status, 'signed out for real').to.equal(401);
    expect(new URL(page.url()).pathname).to.equal('/invite');

    await fillCard(page, { email: vic, password: PASSWORD });
    expect(await card.locator('.as').textContent()).to.equal(vic);
    await card.locator('button.accept').click();
    await page.locator('taskwire-app .project-header h1', { hasText: 'Launch plan' }).waitFor();
    await page.locator('taskwire-app .flash', { hasText: 'You joined Launch plan.' }).waitFor();
    const landed = new URL(page.url());
    expect([landed.pathname, landed.search, landed.hash]).to.deep.equal(['/', '', `#/projects/${projectId}/board`]);
    expect(await page.locator('taskwire-app .unverified').count()).to.equal(0);
    const members = (await admin.get(`/api/projects/${projectId}/members`)).body.items as { email: string; role: string }[];
    expect(members.find((m) => m.email === vic)?.role).to.equal('viewer');
  });

  it('shows markup in names and subjects as text; the outbox unfolds, the delivery log filters (a server without SMTP)', async function () {
    const bare = await startApi('sqlite', this, undefined, { REGISTRATION: '' });
    try {
      const first = await new Client(bare.url).post('/api/auth/register', { email: address('root'), name: 'Root Admin', password: PASSWORD });
      const root = new Client(bare.url, first.body.token);
      const project = (await root.post('/api/projects', { name: '<img src=x onerror="window.pwned=\'subject\'"> launch' })).body;
      await root.post(`/api/projects/${project.id}/members`, { email: address('guest'), role: 'member' });
      for (const channel of ['inapp', 'email', 'slack']) await root.post('/api/me/notifications/test', { channel });

      const context = await browser.newContext({ viewport: { width: 1280, height: 1500 }, reducedMotion: 'reduce' });
      contexts.push(context);
      await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), first.body.token);
      const page = await context.newPage();
      const errors = collectErrors(page);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`${bare.url}/#/admin`);
      const screen = page.locator('taskwire-app taskwire-admin');
      await screen.locator('.users tr[data-user]').first().waitFor();

      const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>Mallory';
      const email = address('mallory');
      const create = screen.locator('form.create-user');
      await create.locator('input[name=name]').fill(payload);
      await create.locator('input[name=email]').fill(email);
      await create.locator('button').click();
      await screen.locator('.flash', { hasText: `Account created for ${email}: the link to choose a password is in the outbox.` }).waitFor();
      const row = screen.locator(`.users tr[data-email="${email}"]`);
      await row.waitFor();
      expect(await row.locator('.user-name').textContent()).to.equal(payload);
      expect(await row.locator('[data-flag=unverified]').count(), 'not verified until the link is used').to.equal(1);

      // The outbox: the invite (its subject names the project), the reset link for the new account.
      const subject = screen.locator('.outbox li', { hasText: 'invited you to' });
      await subject.waitFor();
      expect(await subject.locator('.subject').textContent()).to.equal(`Root Admin invited you to ${project.name} on Taskwire`);
      const reset = screen.locator('.outbox li', { has: page.locator('.to', { hasText: email }) });
      await reset.waitFor();
      expect(await reset.locator('pre').isVisible(), 'folded').to.equal(false);
      await reset.locator('summary').click();
      expect(await reset.locator('pre').textContent()).to.include(`${bare.url}/reset-password?token=`);

      // The delivery log and its filters.
      const deliveries = screen.locator('.deliveries');
      const rows = deliveries.locator('tbody tr');
      for (let i = 0; i < 100 && (await root.get('/api/admin/deliveries?status=queued')).body.items.length; i++) await new Promise((r) => setTimeout(r, 50));
      await screen.locator('button.refresh').click();
      await rows.first().waitFor();
      const served = (await root.get('/api/admin/deliveries')).body.items as { channel: string; status: string }[];
      expect(served.length).to.be.at.least(3);
      const shown = (expected: { channel: string; status: string }[], what: string) =>
        eventually(
          () => rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-channel')}/${tr.getAttribute('data-status')}`)),
          (seen) => JSON.stringify(seen) === JSON.stringify(expected.map((d) => `${d.channel}/${d.status}`)),
          5000,
          what,
        );
      await shown(served, 'every delivery, newest first');
      await deliveries.locator('select[name=channel]').selectOption('email');
      await shown(served.filter((d) => d.channel === 'email'), 'email deliveries');
      await deliveries.locator('select[name=channel]').selectOption('');
      await deliveries.locator('select[name=status]').selectOption('sent');
      await shown(served.filter((d) => d.status === 'sent'), 'sent deliveries');
      expect(await rows.first().locator('td').nth(1).textContent()).to.include('Root Admin');
      await deliveries.locator('select[name=status]').selectOption('');
      await shown(served, 'every delivery again');

      await screen.locator('.audit tr[data-action="user.created"]').waitFor();
      expect(await screen.locator('.audit tr[data-action="user.created"] .what').textContent()).to.include(payload);
      expect(await page.locator('taskwire-app taskwire-admin img, taskwire-app taskwire-admin script').count(), 'no markup made it into the page').to.equal(0);
      await page.locator('taskwire-app .content').evaluate((content) => content.scrollTo(0, 0));
      await screenshot(page, 'admin');
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
      expect(dialogs).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
    } finally {
      await bare.stop();
    }
  });
});
