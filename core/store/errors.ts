// What a store reports when a unit of work cannot commit. Each is an AppError,
// so a service may let it through and the client still gets a precise status.

import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { CollectionName } from './entities.js';

/** An insert hit a unique key (the same id, or a unique field such as a user's email). */
export class StoreDuplicateError extends ConflictError {
  readonly collection: CollectionName;

  constructor(collection: CollectionName, detail: string) {
    super(`A record with the same key already exists in ${collection}.`, [{ collection, key: detail }]);
    this.collection = collection;
  }
}

/** A replace or remove whose `expect` no longer held at commit: someone else wrote first. */
export class StoreConflictError extends ConflictError {
  readonly collection: CollectionName;
  readonly current: unknown;

  constructor(collection: CollectionName, current: unknown) {
    super(`The record in ${collection} was changed by someone else.`, [{ current }]);
    this.collection = collection;
    this.current = current;
  }
}

/** A replace or remove of a record that does not exist (any more). */
export class StoreNotFoundError extends NotFoundError {
  readonly collection: CollectionName;

  constructor(collection: CollectionName, id: string) {
    super(`No record ${id} in ${collection}.`);
    this.collection = collection;
  }
}

/** A list cursor that this store did not hand out. */
export class InvalidCursorError extends ValidationError {
  constructor() {
    super([{ path: 'cursor', message: 'The cursor is not valid.' }]);
  }
}
