// Properties of the one /task grammar, over thousands of generated inputs:
// nothing typed makes the parser throw, every valid command survives
// format → parse unchanged, and re-formatting what was parsed is stable.

import { expect } from 'chai';
import * as fc from 'fast-check';
import { formatTaskCommand, parseTaskCommand, USAGE, type CommandName, type TaskCommand } from '../../core/domain/commands.js';

const NOW = new Date('2026-11-30T10:00:00Z');
const RUNS = 3000;

// Words people type, quotes of every kind, markup and unicode, so the generator reaches the grammar's corners.
const pieces = fc.constantFrom('add', 'list', 'done', 'assign', 'move', 'due', 'help', 'mine', 'none', 'me', '@ana', '#bug', 'due:', 'due:friday', 'due:2026-12-24', '+3d', '42', '#42', '"', '\u201C', '\u201D', '\u201E', '/task', ' ', '\t', '\n', 'é', '日本', '🙂', '<b>', '&amp;');
const typed = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((words) => words.join(' ')),
);

const columnKey = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,31}$/).filter((key) => key !== 'mine');
const label = fc.stringMatching(/^[\p{L}\p{N}][\p{L}\p{N}_\-./]{0,49}$/u);
const mention = fc.oneof(fc.constant('me'), fc.stringMatching(/^[\w.+-]{1,40}$/).filter((who) => who.toLowerCase() !== 'me'));
const number = fc.integer({ min: 1, max: 999_999_999 });
const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
// Titles as the parser leaves them: trimmed, not empty, at most 200 UTF-16 units.
const title = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }), fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 12 }).map((words) => words.join(' ')))
  .map((t) => t.trim())
  .filter((t) => t.length > 0 && t.length <= 200);

const command: fc.Arbitrary<TaskCommand> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), title, assignee: fc.option(mention, { nil: null }), due: fc.option(isoDate, { nil: null }), labels: fc.uniqueArray(label, { maxLength: 20 }) }),
  fc.record({ kind: fc.constant('list' as const), filter: fc.oneof(fc.constant({ kind: 'open' as const }), fc.constant({ kind: 'mine' as const }), columnKey.map((status) => ({ kind: 'status' as const, status }))) }),
  fc.record({ kind: fc.constant('done' as const), number }),
  fc.record({ kind: fc.constant('assign' as const), number, assignee: fc.option(mention, { nil: null }) }),
  fc.record({ kind: fc.constant('move' as const), number, status: columnKey }),
  fc.record({ kind: fc.constant('due' as const), number, due: fc.option(isoDate, { nil: null }) }),
  fc.record({ kind: fc.constant('help' as const), topic: fc.option(fc.constantFrom(...(Object.keys(USAGE) as CommandName[])), { nil: null }) }),
);

describe('The /task grammar, as properties', () => {
  it('never throws, whatever is typed, and always says why it refuses', () => {
    fc.assert(
      fc.property(typed, fc.boolean(), (text, prefixed) => {
        const parsed = parseTaskCommand(prefixed ? `/task ${text}` : text, NOW);
        if (!parsed.ok) return parsed.error.message.length > 0 && parsed.error.usage.length > 0;
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('parses every formatted command back to itself', () => {
    fc.assert(
      fc.property(command, (original) => {
        const text = formatTaskCommand(original);
        fc.pre(text !== null);
        const parsed = parseTaskCommand(`/task ${text}`, NOW);
        expect(parsed, text!).to.deep.equal({ ok: true, command: original });
      }),
      { numRuns: RUNS },
    );
  });

  it('formats what it parsed into text that parses the same', () => {
    fc.assert(
      fc.property(typed, (text) => {
        const parsed = parseTaskCommand(text, NOW);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const again = formatTaskCommand(parsed.command);
        fc.pre(again !== null);
        expect(parseTaskCommand(again!, NOW), `${JSON.stringify(text)} → ${JSON.stringify(again)}`).to.deep.equal(parsed);
      }),
      { numRuns: RUNS },
    );
  });
});
