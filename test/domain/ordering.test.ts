import { expect } from 'chai';
import { MAX_KEY_LENGTH, compareOrdered, evenKeys, keyBetween, needsRebalance, type Ordered } from '../../core/domain/ordering.js';

/** Deterministic PRNG (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A column as the service keeps it: insert between neighbours, rebalance when no usable key fits. */
class Column {
  keys: string[] = [];
  rebalances = 0;
  maxLength = 0;

  insertAt(index: number): void {
    const key = keyBetween(this.keys[index - 1] ?? null, this.keys[index] ?? null);
    if (key === null || needsRebalance(key)) {
      this.rebalances++;
      this.keys = evenKeys(this.keys.length + 1);
    } else {
      this.keys.splice(index, 0, key);
    }
    this.maxLength = Math.max(this.maxLength, ...this.keys.map((k) => k.length));
  }

  expectStrictlyIncreasing(): void {
    for (let i = 1; i < this.keys.length; i++) expect(this.keys[i - 1]! < this.keys[i]!, `${this.keys[i - 1]} < ${this.keys[i]}`).to.equal(true);
  }
}

describe('ordering keys', () => {
  it('makes a key strictly between two keys, or at either open end', () => {
    const [a, b] = evenKeys(2) as [string, string];
    const mid = keyBetween(a, b)!;
    expect(a < mid && mid < b).to.equal(true);
    expect(keyBetween(null, a)! < a).to.equal(true);
    expect(keyBetween(b, null)! > b).to.equal(true);
    expect(keyBetween(null, null)).to.be.a('string');
  });

  it('signals a rebalance (null) for equal, crossed or foreign neighbour keys instead of misplacing', () => {
    const [a, b] = evenKeys(2) as [string, string];
    expect(keyBetween(a, a)).to.equal(null);
    expect(keyBetween(b, a)).to.equal(null);
    expect(keyBetween('a0', 'not a key')).to.equal(null);
    expect(keyBetween('a10', null)).to.equal(null, 'trailing zero is not a key it makes');
  });

  it('flags keys over the length bound', () => {
    expect(needsRebalance('a'.repeat(MAX_KEY_LENGTH))).to.equal(false);
    expect(needsRebalance('a'.repeat(MAX_KEY_LENGTH + 1))).to.equal(true);
  });

  it('evenKeys gives n distinct, strictly increasing, short keys', () => {
    for (const n of [0, 1, 2, 50, 62, 63, 1000, 5000]) {
      const keys = evenKeys(n);
      expect(keys).to.have.length(n);
      for (let i = 1; i < n; i++) expect(keys[i - 1]! < keys[i]!).to.equal(true);
      expect(Math.max(0, ...keys.map((k) => k.length))).to.be.at.most(4);
    }
  });

  it('orders by position, then id', () => {
    const items: Ordered[] = [
      { position: 'a1', id: 'b' },
      { position: 'a1', id: 'a' },
      { position: 'a0', id: 'z' },
    ];
    expect(items.sort(compareOrdered).map((t) => t.id)).to.deep.equal(['z', 'a', 'b']);
  });

  it('keeps keys short over thousands of inserts at the same spot, thanks to rebalancing', () => {
    for (const spot of ['front', 'second', 'middle', 'end'] as const) {
      const column = new Column();
      for (let i = 0; i < 5000; i++) {
        const n = column.keys.length;
        const index = spot === 'front' ? 0 : spot === 'second' ? Math.min(1, n) : spot === 'middle' ? Math.floor(n / 2) : n;
        column.insertAt(index);
      }
      column.expectStrictlyIncreasing();
      expect(column.keys).to.have.length(5000);
      expect(column.maxLength, spot).to.be.at.most(MAX_KEY_LENGTH);
      // Repeated splitting of one gap grows a key by about one character per six inserts, so rebalances do happen, but rarely.
      if (spot === 'second') expect(column.rebalances).to.be.within(1, 5000 / 100);
    }
  });

  it('needs no rebalance over many random inserts and moves', () => {
    const next = random(42);
    const column = new Column();
    for (let i = 0; i < 50; i++) column.insertAt(column.keys.length);
    for (let i = 0; i < 20_000; i++) {
      column.keys.splice(Math.floor(next() * column.keys.length), 1);
      column.insertAt(Math.floor(next() * (column.keys.length + 1)));
    }
    column.expectStrictlyIncreasing();
    expect(column.rebalances).to.equal(0);
    expect(column.maxLength).to.be.below(16);
  });
});
