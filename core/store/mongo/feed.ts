// The scope's `feeds` document {_id: scope, lastSeq, taskCounter, journal}.
// Only the lease holder writes it, so these plain updates need no condition
// (and could not rely on one on FerretDB, see lease.ts).

import type { CollectionName } from '../entities.js';
import { driver, type Raw, type RawModel } from './models.js';

/** Undo record of one op: the record's image right before it (null: it did not exist). */
export interface JournalEntry {
  c: CollectionName;
  id: string;
  before: Raw | null;
}

export interface FeedHead {
  lastSeq: number;
  taskCounter: number;
  /** Set while a unit is between "journal saved" and its commit point, or after its writer died there. */
  journal: JournalEntry[] | null;
}

export async function readHead(feeds: RawModel, scope: string): Promise<FeedHead> {
  const doc = await feeds.findById(scope).lean<Raw>();
  return {
    lastSeq: (doc?.lastSeq as number | undefined) ?? 0,
    taskCounter: (doc?.taskCounter as number | undefined) ?? 0,
    journal: (doc?.journal as JournalEntry[] | null | undefined) ?? null,
  };
}

/** Saves the journal of the unit about to be applied, or clears it (null) once undone. */
export async function saveJournal(feeds: RawModel, scope: string, journal: JournalEntry[] | null): Promise<void> {
  await driver(feeds).updateOne({ _id: scope }, { $set: { journal } }, { upsert: true });
}

export async function saveTaskCounter(feeds: RawModel, scope: string, taskCounter: number): Promise<void> {
  await driver(feeds).updateOne({ _id: scope }, { $set: { taskCounter } }, { upsert: true });
}

/** The commit point: the new head becomes visible and the journal goes, in one single-document write. */
export async function advanceHead(feeds: RawModel, scope: string, lastSeq: number): Promise<void> {
  await driver(feeds).updateOne({ _id: scope }, { $set: { lastSeq, journal: null } }, { upsert: true });
}
