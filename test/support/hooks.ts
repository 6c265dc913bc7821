// Mocha root hook plugin, loaded through `require` in .mocharc.json: the
// servers suites share, and the browser, are stopped once, after the last suite.

import { closeBrowser } from './browser.js';
import { stopServices } from './services.js';

export const mochaHooks: Mocha.RootHookObject = {
  async afterAll() {
    await closeBrowser();
    await stopServices();
  },
};
