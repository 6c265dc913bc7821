// The records the Store keeps are the domain's entities; re-exported here so
// store code reads them from its own folder.
export * from '../domain/entities.js';
