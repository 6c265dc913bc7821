// Driver and mongoose errors stop here: callers of the port only ever see
// AppErrors (core/errors.ts, core/store/errors.ts) or a plain Error.

import mongoose from 'mongoose';
import { AppError, UnavailableError, ValidationError, type FieldProblem } from '../../errors.js';
import type { CollectionName } from '../entities.js';
import { StoreDuplicateError } from '../errors.js';
import { idOf, type Models, type Raw } from './models.js';
import { INDEXES } from './schemas.js';

const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClosedError',
  // A killed server clears the connection pool: operations waiting on it fail with these, not a network error.
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoServerClosedError',
]);

export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: { code?: unknown }[] };
  return code === 11000 || code === 11001 || (Array.isArray(writeErrors) && writeErrors.some((e) => e.code === 11000));
}

/** Maps any error thrown by a mongoose or driver call to what may cross the port. */
export function translateError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (error instanceof mongoose.Error.ValidationError) {
    const problems: FieldProblem[] = Object.entries(error.errors).map(([path, cause]) => ({ path, message: cause.message }));
    return new ValidationError(problems);
  }
  if (error instanceof mongoose.Error.CastError) return new ValidationError([{ path: error.path, message: error.message }]);
  const name = error instanceof Error ? error.name : '';
  if (UNREACHABLE.has(name)) return new UnavailableError('The database is unreachable.');
  const message = error instanceof Error ? error.message : String(error);
  // Keeps the cause for logs while no driver class crosses the port.
  return new Error(`mongo store: ${message}`, { cause: error });
}

/**
 * Names the unique key an insert or replace collided with. MongoDB says so in
 * the error; FerretDB does not, so the candidates are probed (an error path only).
 */
export async function duplicateError(models: Models, collection: CollectionName, doc: Raw, error: unknown): Promise<StoreDuplicateError> {
  const unique = INDEXES[collection].filter((index) => index.unique);
  const { keyPattern, message } = error as { keyPattern?: Record<string, unknown>; message?: unknown };
  const named =
    (keyPattern && unique.find((index) => sameKeys(Object.keys(index.keys), Object.keys(keyPattern)))?.name) ??
    unique.find((index) => typeof message === 'string' && message.includes(`index: ${index.name} `))?.name;
  if (named) return new StoreDuplicateError(collection, named);
  if (typeof message === 'string' && /index: _id_ /.test(message)) return new StoreDuplicateError(collection, `${collection}.id`);
  try {
    const model = models.entities[collection];
    for (const index of unique) {
      const filter: Record<string, unknown> = { _id: { $ne: idOf(doc) } };
      for (const field of Object.keys(index.keys)) filter[field] = doc[field];
      if (await model.exists(filter)) return new StoreDuplicateError(collection, index.name);
    }
  } catch {
    // The probe only refines the message; the duplicate itself is certain.
  }
  return new StoreDuplicateError(collection, `${collection}.id`);
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** Wraps every method of a repository so that no driver error escapes it. */
export function guarded<T extends object>(repo: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repo)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const method = member as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(repo, args);
      } catch (error) {
        throw translateError(error);
      }
    };
  }
  return wrapped as T;
}
