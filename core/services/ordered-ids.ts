import type { ServiceDeps } from './deps.js';

/**
 * `n` new ids in ascending order. Given out in a document's order, they keep that order among records that tie on
 * what a list sorts by (two tasks on one position, two messages in one millisecond): every list breaks ties by id.
 */
export function orderedIds(deps: Pick<ServiceDeps, 'newId'>, n: number): string[] {
  return Array.from({ length: n }, () => deps.newId()).sort();
}
