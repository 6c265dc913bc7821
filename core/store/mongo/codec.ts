// Entity <-> stored document. Writes go through the mongoose model so bad
// input is refused (cast and validation) before anything reaches the server;
// reads rebuild exactly the entity's fields, so no `_id` or stray field leaks.

import type { Change, CollectionName, Entities } from '../entities.js';
import { idOf, type Models, type Raw } from './models.js';
import { FIELDS } from './schemas.js';

/**
 * Stored in place of a null `users.externalRef`. A unique index over a field
 * that many documents leave null needs a partial or sparse index, which
 * FerretDB does not support (partial) or index nulls anyway (sparse, as
 * MongoDB does); a per-user placeholder keeps one plain unique index valid on both.
 */
const EXTERNAL_REF_NONE = '~none:';

export function isPlaceholderRef(ref: string): boolean {
  return ref.startsWith(EXTERNAL_REF_NONE);
}

/** Casts and validates an entity into the document to store; throws mongoose's ValidationError (see errors.ts). */
export async function toStored<C extends CollectionName>(models: Models, collection: C, entity: Entities[C]): Promise<Raw> {
  const { id, ...fields } = entity as unknown as { id: string } & Record<string, unknown>;
  if (collection === 'users' && (fields.externalRef === null || fields.externalRef === undefined)) fields.externalRef = EXTERNAL_REF_NONE + id;
  const doc = new models.entities[collection]({ _id: id, ...fields });
  await doc.validate();
  return doc.toObject({ versionKey: false, minimize: false, depopulate: true }) as Raw;
}

export function fromStored<C extends CollectionName>(collection: C, raw: Raw): Entities[C] {
  const entity: Record<string, unknown> = { id: idOf(raw) };
  // FerretDB drops nulls on some update paths ($setOnInsert), so a missing field reads as null.
  for (const field of Object.keys(FIELDS[collection])) entity[field] = raw[field] ?? null;
  if (collection === 'users' && typeof entity.externalRef === 'string' && isPlaceholderRef(entity.externalRef)) entity.externalRef = null;
  return entity as unknown as Entities[C];
}

export function changeToStored(change: Change): Raw {
  return {
    _id: `${change.projectId}:${change.seq}`,
    projectId: change.projectId,
    seq: change.seq,
    type: change.type,
    at: change.at,
    actorId: change.actorId,
    data: JSON.stringify(change.data),
    audience: change.audience,
  };
}

export function changeFromStored(raw: Raw): Change {
  return {
    projectId: raw.projectId as string,
    seq: raw.seq as number,
    type: raw.type as string,
    at: raw.at as string,
    actorId: (raw.actorId as string | null | undefined) ?? null,
    data: JSON.parse(raw.data as string) as Record<string, unknown>,
    audience: (raw.audience as string[] | null | undefined) ?? null,
  };
}
