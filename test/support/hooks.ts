// Mocha root hook plugin, loaded through `require` in .mocharc.json.
//
// The widget is built once, by the mocha process before any test runs (a global fixture), and handed to the
// test processes through the environment: with `--parallel`, several workers building into .cache/widget at
// once would rewrite files another worker's Chromium is loading. The servers suites share, and the browser,
// are stopped after the last suite of each process (of each file, under --parallel).

import { closeBrowser, WIDGET_BUILD_ENV } from './browser.js';
import { stopServices } from './services.js';
import { buildWidget } from '../../widget/build.js';

export async function mochaGlobalSetup(): Promise<void> {
  // A widget that does not build (over its size budget, say) fails the suites that load it, not every suite.
  const built = await buildWidget({ quiet: true }).catch(() => null);
  if (built) process.env[WIDGET_BUILD_ENV] = JSON.stringify(built);
}

export const mochaHooks: Mocha.RootHookObject = {
  async afterAll() {
    await closeBrowser();
    await stopServices();
  },
};
