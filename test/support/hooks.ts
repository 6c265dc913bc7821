// Mocha root hook plugin, loaded through `require` in .mocharc.json: the
// servers suites share are stopped once, after the last suite.

import { stopServices } from './services.js';

export const mochaHooks: Mocha.RootHookObject = {
  async afterAll() {
    await stopServices();
  },
};
