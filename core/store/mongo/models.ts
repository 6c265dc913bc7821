// The mongoose models of one store, bound to its own connection (never the
// global default one, so two stores in a process never share state).

import type { Connection, Model, mongo } from 'mongoose';
import { COLLECTIONS, type CollectionName } from '../entities.js';
import { changeSchema, entitySchema, feedSchema, jobClaimSchema, jobSchema, leaseSchema } from './schemas.js';

/** A document as the server holds it: `_id` carries the entity's id. */
export interface Raw {
  _id: string;
  [field: string]: unknown;
}

export type RawModel = Model<Raw>;

/** The driver collection under a model, typed for string ids, for the commit protocol's own updates. */
export type RawCollection = mongo.Collection<Raw>;

export function driver(model: RawModel): RawCollection {
  return model.collection as unknown as RawCollection;
}

export function idOf(raw: Raw): string {
  const { _id: id } = raw;
  return id;
}

export interface Models {
  entities: { readonly [C in CollectionName]: RawModel };
  changes: RawModel;
  feeds: RawModel;
  leases: RawModel;
  jobs: RawModel;
  jobClaims: RawModel;
}

export function createModels(connection: Connection): Models {
  const entities = {} as Record<CollectionName, RawModel>;
  for (const collection of COLLECTIONS) entities[collection] = connection.model<Raw>(collection, entitySchema(collection));
  return {
    entities,
    changes: connection.model<Raw>('changes', changeSchema()),
    feeds: connection.model<Raw>('feeds', feedSchema()),
    leases: connection.model<Raw>('leases', leaseSchema()),
    jobs: connection.model<Raw>('jobs', jobSchema()),
    jobClaims: connection.model<Raw>('job_claims', jobClaimSchema()),
  };
}

/** Creates every collection's indexes (autoIndex is off so boot, not first use, pays for it). */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all([...Object.values(models.entities), models.changes, models.feeds, models.leases, models.jobs, models.jobClaims].map((model) => model.createIndexes()));
}
