import { expect } from 'chai';
import { serviceMissing } from '../support/services.js';
import { findSchemathesis, runConformance, SCHEMATHESIS_VERSION } from './fuzz.js';

/** What to show of a failed run: its failures and summary, without the progress lines before them. */
function report(output: string): string {
  const start = output.indexOf('FAILURES');
  const text = start >= 0 ? output.slice(start) : output.slice(-6000);
  // A reproduction's curl line can hold a body of many kilobytes.
  return text.split('\n').map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n').slice(0, 20_000);
}

describe('the OpenAPI document under schemathesis', function () {
  this.timeout(360_000);

  it('finds no failure of any check, with a fixed seed and example budget', async function () {
    if (!findSchemathesis()) serviceMissing(this, `schemathesis (pip install schemathesis==${SCHEMATHESIS_VERSION})`, 'the API conformance run');
    const run = await runConformance([], 'collect');
    expect(run.status, report(run.output)).to.equal(0);
    // It did test: every operation but the excluded logout, with generated cases.
    const tested = /Tested:\s+(\d+)/.exec(run.output);
    const generated = /(\d+) generated/.exec(run.output);
    expect(Number(tested?.[1]), 'operations tested').to.be.greaterThan(80);
    expect(Number(generated?.[1]), 'cases generated').to.be.greaterThan(2000);
  });
});
