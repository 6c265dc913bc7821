// Fractional ordering as a property: any sequence of moves in a column, each
// writing one key between its new neighbours (or rebalancing the column when no
// key fits), keeps one strict order that is exactly the order asked for, with
// keys that stay short.

import { expect } from 'chai';
import * as fc from 'fast-check';
import { evenKeys, keyBetween, MAX_KEY_LENGTH, needsRebalance } from '../../core/domain/ordering.js';

interface Move {
  /** Which card (index in the current order) moves. */
  from: number;
  /** Where it lands among the others (0 = first). */
  to: number;
}

/** Applies moves the way the tasks service does and checks the column after each one. */
function play(size: number, moves: Move[]): { rebalances: number; longest: number } {
  let column = evenKeys(size).map((key, i) => ({ id: `t${i}`, key }));
  let rebalances = 0;
  let longest = 0;
  for (const move of moves) {
    const card = column[move.from % column.length]!;
    const rest = column.filter((c) => c !== card);
    const at = move.to % (rest.length + 1);
    const expected = [...rest.slice(0, at).map((c) => c.id), card.id, ...rest.slice(at).map((c) => c.id)];
    const key = keyBetween(rest[at - 1]?.key ?? null, rest[at]?.key ?? null);
    if (key === null || needsRebalance(key)) {
      rebalances += 1;
      const order = [...rest.slice(0, at), card, ...rest.slice(at)];
      const keys = evenKeys(order.length);
      column = order.map((c, i) => ({ id: c.id, key: keys[i]! }));
    } else {
      column = [...rest.slice(0, at), { id: card.id, key }, ...rest.slice(at)];
    }
    // The stored order is what sorting by key gives; it must be strict and the order asked for.
    const sorted = [...column].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    expect(sorted.map((c) => c.id)).to.deep.equal(expected);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.key < sorted[i]!.key, `${sorted[i - 1]!.key} < ${sorted[i]!.key}`).to.equal(true);
    longest = Math.max(longest, ...column.map((c) => c.key.length));
    expect(longest).to.be.at.most(MAX_KEY_LENGTH);
  }
  return { rebalances, longest };
}

describe('Fractional ordering, as properties', () => {
  it('keeps a strict order, exactly the one asked for, with short keys, over any sequence of moves', () => {
    const move = fc.record({ from: fc.nat(1000), to: fc.nat(1000) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(move, { maxLength: 60 }), (size, moves) => {
        play(size, moves);
      }),
      { numRuns: 2000 },
    );
  });

  it('rarely needs to rebalance: moving into the same gap over and over only grows keys slowly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), (size, count, toFront) => {
        // The worst case for key growth: always between the same two neighbours (or always first).
        const moves = Array.from({ length: count }, () => ({ from: size - 1, to: toFront ? 0 : 1 }));
        const { rebalances } = play(size, moves);
        expect(rebalances).to.be.at.most(Math.ceil(count / 50));
      }),
      { numRuns: 100 },
    );
  });
});
