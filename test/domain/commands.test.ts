import { expect } from 'chai';
import { helpText, isTaskCommand, parseTaskCommand, resolveMention, type CommandParse, type TaskCommand } from '../../core/domain/commands.js';
import { dueAtOf, parseDate } from '../../core/domain/dates.js';

// Wednesday, 2026-03-04, late in the UTC day: dates must not drift with the hour.
const NOW = new Date('2026-03-04T23:30:00.000Z');

const parse = (text: string): CommandParse => parseTaskCommand(text, NOW);

function command(text: string): TaskCommand {
  const parsed = parse(text);
  if (!parsed.ok) throw new Error(`expected "${text}" to parse, got ${parsed.error.code}: ${parsed.error.message}`);
  return parsed.command;
}

function failure(text: string) {
  const parsed = parse(text);
  if (parsed.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(parsed.command)}`);
  return parsed.error;
}

describe('the /task grammar', () => {
  describe('recognizing a command', () => {
    for (const text of ['/task', '/task add x', '  /task help', '/TASK list', '/task\tlist']) {
      it(`"${text}" is a command`, () => expect(isTaskCommand(text)).to.equal(true));
    }
    for (const text of ['/tasks', 'task add x', 'hello /task add', '/taskadd x', '']) {
      it(`"${text}" is not`, () => expect(isTaskCommand(text)).to.equal(false));
    }
  });

  describe('add', () => {
    it('parses the full example', () => {
      expect(command('/task add "Fix login" @ana due:friday #bug')).to.deep.equal({ kind: 'add', title: 'Fix login', assignee: 'ana', due: '2026-03-06', labels: ['bug'] });
    });

    it('takes unquoted words as the title, in any order with options', () => {
      expect(command('/task add Fix the login page #bug @bo due:2026-12-01 #ui')).to.deep.equal({
        kind: 'add', title: 'Fix the login page', assignee: 'bo', due: '2026-12-01', labels: ['bug', 'ui'],
      });
    });

    it('works without the /task prefix (as Slack hands it over) and with aliases', () => {
      expect(command('add Water plants')).to.deep.include({ kind: 'add', title: 'Water plants', assignee: null, due: null, labels: [] });
      expect(command('/task new Water plants')).to.deep.include({ kind: 'add', title: 'Water plants' });
      expect(command('/Task ADD Water plants')).to.deep.include({ kind: 'add', title: 'Water plants' });
    });

    it('keeps @, # and due: literal inside quotes, also curly ones', () => {
      expect(command('/task add "Ask @ana about #12 due:friday"')).to.deep.include({ title: 'Ask @ana about #12 due:friday', assignee: null, due: null, labels: [] });
      expect(command('/task add \u201CSmart quotes\u201D @me')).to.deep.include({ title: 'Smart quotes', assignee: 'me' });
    });

    it('accepts email mentions, @me, duplicate labels once, and a lone # or @ as title text', () => {
      expect(command('/task add Call @bo@example.com')).to.deep.include({ assignee: 'bo@example.com' });
      expect(command('/task add Call @ME')).to.deep.include({ assignee: 'me' });
      expect(command('/task add Tag #a #a #b')).to.deep.include({ labels: ['a', 'b'] });
      expect(command('/task add Use # and @ here')).to.deep.include({ title: 'Use # and @ here' });
    });

    const invalid: [string, string, RegExp][] = [
      ['/task add', 'missing_argument', /needs a title/],
      ['/task add @ana #bug', 'missing_argument', /needs a title/],
      ['/task add "" due:today', 'missing_argument', /needs a title/],
      ['/task add "Fix login', 'unterminated_quote', /never closed/],
      ['/task add Fix @ana @bo', 'unexpected_argument', /one assignee/],
      ['/task add Fix due:someday', 'invalid_argument', /not a date I understand/],
      ['/task add Fix due:', 'invalid_argument', /not a date/],
      ['/task add Fix due:today due:tomorrow', 'unexpected_argument', /twice/],
      ['/task add Fix due:2026-02-30', 'invalid_argument', /real calendar date/],
      ['/task add Fix #b@d', 'invalid_argument', /not a label/],
      [`/task add ${'x'.repeat(201)}`, 'invalid_argument', /keep it to 200/],
    ];
    for (const [text, code, message] of invalid) {
      it(`refuses ${text.slice(0, 40)} (${code})`, () => {
        const error = failure(text);
        expect(error.code).to.equal(code);
        expect(error.message).to.match(message);
        expect(error.usage).to.include('/task add');
      });
    }
  });

  describe('list, done, assign, move, due, help', () => {
    const valid: [string, TaskCommand][] = [
      ['/task list', { kind: 'list', filter: { kind: 'open' } }],
      ['/task ls mine', { kind: 'list', filter: { kind: 'mine' } }],
      ['/task list Doing', { kind: 'list', filter: { kind: 'status', status: 'doing' } }],
      ['/task done 42', { kind: 'done', number: 42 }],
      ['/task done #42', { kind: 'done', number: 42 }],
      ['/task assign 42 @bo', { kind: 'assign', number: 42, assignee: 'bo' }],
      ['/task assign #7 bo', { kind: 'assign', number: 7, assignee: 'bo' }],
      ['/task assign 7 me', { kind: 'assign', number: 7, assignee: 'me' }],
      ['/task assign 7 none', { kind: 'assign', number: 7, assignee: null }],
      ['/task move 42 doing', { kind: 'move', number: 42, status: 'doing' }],
      ['/task move 42 in_review', { kind: 'move', number: 42, status: 'in_review' }],
      ['/task due 42 2026-12-01', { kind: 'due', number: 42, due: '2026-12-01' }],
      ['/task due 42 due:tomorrow', { kind: 'due', number: 42, due: '2026-03-05' }],
      ['/task due 42 none', { kind: 'due', number: 42, due: null }],
      ['/task help', { kind: 'help', topic: null }],
      ['/task help ls', { kind: 'help', topic: 'list' }],
      ['/task', { kind: 'help', topic: null }],
      ['/task   ', { kind: 'help', topic: null }],
    ];
    for (const [text, expected] of valid) {
      it(`parses "${text}"`, () => expect(command(text)).to.deep.equal(expected));
    }

    const invalid: [string, string, RegExp][] = [
      ['/task done', 'missing_argument', /Which task/],
      ['/task done abc', 'invalid_argument', /not a task number/],
      ['/task done 0', 'invalid_argument', /not a task number/],
      ['/task done -3', 'invalid_argument', /not a task number/],
      ['/task done 4.5', 'invalid_argument', /not a task number/],
      ['/task done 42 43', 'unexpected_argument', /Unexpected "43"/],
      ['/task assign 42', 'missing_argument', /whom/],
      ['/task assign @bo', 'invalid_argument', /not a task number/],
      ['/task move 42', 'missing_argument', /Which column/],
      ['/task move 42 "In Review"', 'invalid_argument', /not a column key/],
      ['/task due 42', 'missing_argument', /When is it due/],
      ['/task due 42 next-week', 'invalid_argument', /not a date/],
      ['/task list mine doing', 'unexpected_argument', /Unexpected/],
      ['/task help nope', 'invalid_argument', /no command "nope"/],
      ['/task ad Fix', 'unknown_command', /Did you mean "\/task add"/],
      ['/task lsit', 'unknown_command', /Did you mean "\/task list"/],
      ['/task frobnicate', 'unknown_command', /Try "\/task help"/],
      ['/task constructor', 'unknown_command', /no \/task command "constructor"/],
      ['/task "add" x', 'unknown_command', /no \/task command/],
    ];
    for (const [text, code, message] of invalid) {
      it(`refuses "${text}" (${code})`, () => {
        const error = failure(text);
        expect(error.code).to.equal(code);
        expect(error.message).to.match(message);
        expect(error.usage).to.match(/\/task/);
      });
    }
  });

  it('help lists every command, or one', () => {
    const all = helpText();
    for (const name of ['add', 'list', 'done', 'assign', 'move', 'due', 'help']) expect(all).to.include(`/task ${name}`);
    expect(helpText('move')).to.equal('/task move <number> <status> - move a task to another column');
  });
});

describe('dates in commands (UTC, relative to now)', () => {
  const cases: [string, string][] = [
    ['today', '2026-03-04'],
    ['Tomorrow', '2026-03-05'],
    ['friday', '2026-03-06'],
    ['fri', '2026-03-06'],
    ['wednesday', '2026-03-11'],
    ['monday', '2026-03-09'],
    ['+3d', '2026-03-07'],
    ['+0d', '2026-03-04'],
    ['+2w', '2026-03-18'],
    ['2028-02-29', '2028-02-29'],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}" is ${expected}`, () => expect(parseDate(input, NOW)).to.deep.equal({ ok: true, date: expected }));
  }
  for (const input of ['2027-02-29', '2026-13-01', '26-03-04', '+99999d', '+5000d', 'someday', '-3d', '']) {
    it(`"${input}" is refused`, () => expect(parseDate(input, NOW).ok).to.equal(false));
  }
  it('crosses month and year ends', () => {
    expect(parseDate('+1d', new Date('2026-12-31T12:00:00Z'))).to.deep.equal({ ok: true, date: '2027-01-01' });
  });
  it('stores a due date as midnight UTC', () => expect(dueAtOf('2026-12-01')).to.equal('2026-12-01T00:00:00.000Z'));
});

describe('resolving @mentions against project members', () => {
  const people = [
    { id: 'u1', name: 'Ana Lima', email: 'ana.lima@example.test' },
    { id: 'u2', name: 'Anabel', email: 'anabel@example.test' },
    { id: 'u3', name: 'Bo', email: 'robert@example.test' },
  ];
  const who = (mention: string) => resolveMention(mention, people, 'u3');

  it('prefers exact matches over prefixes', () => {
    expect(who('ana')).to.deep.equal({ ok: true, person: people[0] });
    expect(who('bo')).to.deep.equal({ ok: true, person: people[2] });
  });
  it('matches name and email prefixes, case-insensitively', () => {
    expect(who('Rob')).to.deep.include({ ok: true, person: people[2] });
    expect(who('anab')).to.deep.include({ ok: true, person: people[1] });
    expect(who('ana.lima@example.test')).to.deep.include({ ok: true, person: people[0] });
    expect(who('analima')).to.deep.include({ ok: true, person: people[0] });
  });
  it('resolves me to the caller', () => expect(who('me')).to.deep.equal({ ok: true, person: people[2] }));
  it('says when nobody or several match', () => {
    expect(who('zed')).to.deep.equal({ ok: false, message: 'No project member matches @zed.' });
    const several = who('an');
    expect(several.ok).to.equal(false);
    expect(several.ok ? '' : several.message).to.match(/several members.*Ana Lima.*Anabel/);
  });
  it('me fails for a caller outside the project', () => expect(resolveMention('me', people, 'nobody').ok).to.equal(false));
});
