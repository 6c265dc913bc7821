// Undoes a unit from its journal. Entries are undone newest first, so each
// record ends with the image from before the unit's oldest op on it, and for
// ops that did run every intermediate state is one the forward pass went
// through (unique indexes hold). Undoing ops that never ran is harmless for the
// same reason, and the whole undo is idempotent: a recovery that dies half-way
// is simply run again by the next holder.

import { driver, type Models } from './models.js';
import { isDuplicateKey } from './errors.js';
import type { JournalEntry } from './feed.js';

export async function rollback(models: Models, projectId: string | null, lastSeq: number, journal: readonly JournalEntry[]): Promise<void> {
  let pending = journal.toReversed();
  // An op that never ran can make its newer neighbours' undo collide on a unique key; a later pass clears it.
  for (let pass = 0; pending.length > 0; pass++) {
    const collided: JournalEntry[] = [];
    for (const entry of pending) {
      try {
        await undo(models, entry);
      } catch (error) {
        if (!isDuplicateKey(error) || pass >= 2) throw error;
        collided.push(entry);
      }
    }
    pending = collided;
  }
  // Entries above the head were never visible to readers (they only read up to lastSeq).
  if (projectId !== null) await driver(models.changes).deleteMany({ projectId, seq: { $gt: lastSeq } });
}

async function undo(models: Models, entry: JournalEntry): Promise<void> {
  const collection = driver(models.entities[entry.c]);
  if (entry.before) await collection.replaceOne({ _id: entry.id }, entry.before, { upsert: true });
  else await collection.deleteOne({ _id: entry.id });
}
