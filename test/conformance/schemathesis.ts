// `npm run conformance [-- schemathesis options]`: the conformance run of
// fuzz.ts on its own, printing as it goes; e.g. `-- --max-examples 200` for a
// longer search than the one in `npm test`.

import { runConformance } from './fuzz.js';

const { status } = await runConformance(process.argv.slice(2), 'inherit');
process.exit(status);
