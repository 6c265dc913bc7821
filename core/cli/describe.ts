// One line about a checked database, for what backup and restore print.

import type { DatabaseCheck } from '../store/sqlite/verify.js';

export function describeDatabase(check: DatabaseCheck): string {
  const megabytes = (check.bytes / 1024 / 1024).toFixed(1);
  return `${check.pages} pages (${megabytes} MB), integrity ok, schema version ${check.schemaVersion}`;
}
