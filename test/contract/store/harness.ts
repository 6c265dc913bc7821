// Runs one body of Store contract tests against every implementation:
// SQLite in a temp dir, and the mongoose store on the MongoDB-compatible server.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createMongoStore } from '../../../core/store/mongo/index.js';
import type { Store } from '../../../core/store/ports.js';
import { createSqliteStore } from '../../../core/store/sqlite/index.js';
import { getMongo, useService } from '../../support/services.js';
import { makeTempDir } from '../../support/tmp.js';

export interface StoreHarness {
  /** The store under test, fresh (empty) for each test. */
  store: Store;
  /** Closes the store and opens the same database again. */
  reopen(): Promise<Store>;
}

interface Implementation {
  name: 'sqlite' | 'mongo';
  /** Returns an opener for a fresh database, or null when the service it needs is missing. */
  prepare(): Promise<(() => Promise<Store>) | null>;
}

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: 'sqlite',
    prepare: async () => {
      const path = join(makeTempDir('tw-store'), `${randomUUID()}.sqlite`);
      return async () => createSqliteStore({ path });
    },
  },
  {
    name: 'mongo',
    prepare: async () => {
      const server = await getMongo();
      if (!server) return null;
      const uri = server.uri(`tw_contract_${randomUUID().replaceAll('-', '').slice(0, 16)}`);
      return () => createMongoStore({ uri });
    },
  },
];

export function forEachStore(title: string, body: (harness: StoreHarness) => void): void {
  for (const implementation of IMPLEMENTATIONS) {
    describe(`${title} [${implementation.name}]`, function () {
      const harness = {} as StoreHarness;

      before(async function () {
        if (implementation.name === 'mongo') await useService(this, 'mongo', `the Store contract (${title})`);
      });

      beforeEach(async function () {
        const open = (await implementation.prepare())!;
        harness.store = await open();
        harness.reopen = async () => {
          await harness.store.close();
          harness.store = await open();
          return harness.store;
        };
      });

      afterEach(async () => {
        await harness.store?.close();
      });

      body(harness);
    });
  }
}
