// Migration 10: what analytics read on SQLite, kept in the commit's own
// transaction. Records are JSON documents, and SQLite never takes an index
// over a document's generated columns or expressions as covering, so a count
// over them opens every record; the tables here hold plain columns instead,
// kept by triggers on the records' tables:
//
// - task_facts: each task's columns that analytics filter and count on.
// - flow_hours: per project, UTC hour and column, moves in minus moves out:
//   summed between two instants on whole hours, the change of a column's size.
// - chat_lines: each room's messages that are not deleted, in order, each
//   marked when it starts a turn (its author differs from the line before),
//   with the milliseconds until the next turn starts (the answer) on starts.
// - chat_hours: per room and UTC hour, lines written.
//
// The turn marks are kept locally: a line added or removed changes the mark of
// the line after it and the answers of at most three starts (the start before
// it, itself, the line after it), each found by an index seek.

import { entityTable } from './entity-table.js';

/** The `reply_ms` of chat line `line`: on a start, the time until the room's next start. */
const answer = (line: string) => `CASE WHEN ${line}.starts = 1 THEN (
    SELECT CAST(round((julianday(q.at) - julianday(${line}.at)) * 86400000) AS INTEGER) FROM chat_lines q
    WHERE q.room_id = ${line}.room_id AND q.starts = 1 AND (q.at, q.id) > (${line}.at, ${line}.id) ORDER BY q.at, q.id LIMIT 1) END`;

/** Conditions selecting one chat line by an index seek: the line after `line`, the last start before it, itself. */
const lineAfter = (line: string) =>
  `room_id = ${line}.room_id AND (at, id) = (SELECT n.at, n.id FROM chat_lines n WHERE n.room_id = ${line}.room_id AND (n.at, n.id) > (${line}.at, ${line}.id) ORDER BY n.at, n.id LIMIT 1)`;
const startBefore = (line: string) =>
  `room_id = ${line}.room_id AND (at, id) = (SELECT s.at, s.id FROM chat_lines s WHERE s.room_id = ${line}.room_id AND s.starts = 1 AND (s.at, s.id) < (${line}.at, ${line}.id) ORDER BY s.at DESC, s.id DESC LIMIT 1)`;
const itself = (line: string) => `room_id = ${line}.room_id AND at = ${line}.at AND id = ${line}.id`;
/** Whether the chat line being updated starts a turn: no line before it, or one by someone else. */
const STARTS_TURN = `(chat_lines.author_id IS NOT (SELECT p.author_id FROM chat_lines p WHERE p.room_id = chat_lines.room_id AND (p.at, p.id) < (chat_lines.at, chat_lines.id) ORDER BY p.at DESC, p.id DESC LIMIT 1))`;
const ANSWER = answer('chat_lines');

/** Milliseconds from `from` to `to` (ISO times), 0 when negative, null without `to`. */
const span = (from: string, to: string) => `max(CAST(round((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER), 0)`;
/** A task's row of task_facts from its record `t`: cycle time from startedAt (createdAt without one), lead time from createdAt. */
const taskFacts = (t: string) =>
  `${t}.id, ${t}.doc->>'projectId', ${t}.doc->>'status', ${t}.doc->>'assigneeId', ${t}.doc->>'dueAt', ${t}.doc->>'createdAt', ${t}.doc->>'startedAt', ` +
  `${t}.doc->>'completedAt', coalesce(${t}.doc->>'fromChat', 0), ` +
  `${span(`coalesce(${t}.doc->>'startedAt', ${t}.doc->>'createdAt')`, `${t}.doc->>'completedAt'`)}, ${span(`${t}.doc->>'createdAt'`, `${t}.doc->>'completedAt'`)}`;

export const ANALYTICS_TABLES: readonly string[] = [
  entityTable('task_moves', { project_id: "doc->>'projectId'", task_id: "doc->>'taskId'", at: "doc->>'at'", from_status: "doc->>'from'", to_status: "doc->>'to'" }),
  'CREATE INDEX task_moves_flow ON task_moves(project_id, at);',
  'CREATE INDEX task_moves_task ON task_moves(task_id, at, id);',
  `CREATE TABLE task_facts (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, status TEXT NOT NULL, assignee_id TEXT, due_at TEXT,
  created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT, from_chat INTEGER NOT NULL, cycle_ms INTEGER, lead_ms INTEGER
) WITHOUT ROWID;`,
  'CREATE INDEX task_facts_created ON task_facts(project_id, created_at, status, from_chat);',
  'CREATE INDEX task_facts_completed ON task_facts(project_id, status, completed_at, assignee_id);',
  // Walked in order of the durations to find a percentile's value among the completions of a range.
  'CREATE INDEX task_facts_cycle ON task_facts(project_id, status, cycle_ms, completed_at);',
  'CREATE INDEX task_facts_lead ON task_facts(project_id, status, lead_ms, completed_at);',
  'CREATE INDEX task_facts_assignee_cycle ON task_facts(project_id, status, assignee_id, cycle_ms, completed_at);',
  'CREATE INDEX task_facts_open ON task_facts(project_id, status, assignee_id, due_at);',
  `CREATE TABLE flow_hours (
  project_id TEXT NOT NULL, hour TEXT NOT NULL, status TEXT NOT NULL, delta INTEGER NOT NULL,
  PRIMARY KEY (project_id, hour, status)
) WITHOUT ROWID;`,
  `CREATE TABLE chat_lines (
  room_id TEXT NOT NULL, at TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, starts INTEGER NOT NULL DEFAULT 0, reply_ms INTEGER,
  PRIMARY KEY (room_id, at, id)
) WITHOUT ROWID;`,
  'CREATE INDEX chat_lines_starts ON chat_lines(room_id, starts, at, id);',
  'CREATE INDEX chat_lines_replies ON chat_lines(reply_ms, room_id, at) WHERE reply_ms IS NOT NULL;',
  `CREATE TABLE chat_hours (
  room_id TEXT NOT NULL, hour TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (room_id, hour)
) WITHOUT ROWID;`,
];

/** Created after the backfill, which fills the tables in bulk. */
export const ANALYTICS_TRIGGERS: readonly string[] = [
  `CREATE TRIGGER task_facts_insert AFTER INSERT ON tasks BEGIN INSERT INTO task_facts VALUES (${taskFacts('NEW')}); END;`,
  `CREATE TRIGGER task_facts_update AFTER UPDATE OF doc ON tasks BEGIN INSERT OR REPLACE INTO task_facts VALUES (${taskFacts('NEW')}); END;`,
  'CREATE TRIGGER task_facts_delete AFTER DELETE ON tasks BEGIN DELETE FROM task_facts WHERE id = OLD.id; END;',
  `CREATE TRIGGER flow_hours_insert AFTER INSERT ON task_moves BEGIN
  INSERT INTO flow_hours VALUES (NEW.project_id, substr(NEW.at, 1, 13), NEW.to_status, 1) ON CONFLICT DO UPDATE SET delta = delta + 1;
  INSERT INTO flow_hours SELECT NEW.project_id, substr(NEW.at, 1, 13), NEW.from_status, -1 WHERE NEW.from_status IS NOT NULL ON CONFLICT DO UPDATE SET delta = delta - 1;
END;`,
  `CREATE TRIGGER flow_hours_delete AFTER DELETE ON task_moves BEGIN
  UPDATE flow_hours SET delta = delta - 1 WHERE project_id = OLD.project_id AND hour = substr(OLD.at, 1, 13) AND status = OLD.to_status;
  UPDATE flow_hours SET delta = delta + 1 WHERE project_id = OLD.project_id AND hour = substr(OLD.at, 1, 13) AND status = OLD.from_status;
END;`,
  `CREATE TRIGGER chat_lines_insert AFTER INSERT ON messages WHEN NEW.doc->>'deletedAt' IS NULL BEGIN
  INSERT INTO chat_lines (room_id, at, id, author_id) VALUES (NEW.room_id, NEW.created_at, NEW.id, NEW.doc->>'authorId');
END;`,
  `CREATE TRIGGER chat_lines_update AFTER UPDATE OF doc ON messages WHEN OLD.doc->>'deletedAt' IS NULL AND NEW.doc->>'deletedAt' IS NOT NULL BEGIN
  DELETE FROM chat_lines WHERE room_id = OLD.room_id AND at = OLD.created_at AND id = OLD.id;
END;`,
  `CREATE TRIGGER chat_lines_delete AFTER DELETE ON messages WHEN OLD.doc->>'deletedAt' IS NULL BEGIN
  DELETE FROM chat_lines WHERE room_id = OLD.room_id AND at = OLD.created_at AND id = OLD.id;
END;`,
  // Marks first (the new line, the one after it), then the answers that depend on them.
  `CREATE TRIGGER chat_lines_added AFTER INSERT ON chat_lines BEGIN
  INSERT INTO chat_hours VALUES (NEW.room_id, substr(NEW.at, 1, 13), 1) ON CONFLICT DO UPDATE SET count = count + 1;
  UPDATE chat_lines SET starts = ${STARTS_TURN} WHERE ${itself('NEW')};
  UPDATE chat_lines SET starts = ${STARTS_TURN} WHERE ${lineAfter('NEW')};
  UPDATE chat_lines SET reply_ms = ${ANSWER} WHERE ${startBefore('NEW')};
  UPDATE chat_lines SET reply_ms = ${ANSWER} WHERE ${itself('NEW')};
  UPDATE chat_lines SET reply_ms = ${ANSWER} WHERE ${lineAfter('NEW')};
END;`,
  `CREATE TRIGGER chat_lines_removed AFTER DELETE ON chat_lines BEGIN
  UPDATE chat_hours SET count = count - 1 WHERE room_id = OLD.room_id AND hour = substr(OLD.at, 1, 13);
  UPDATE chat_lines SET starts = ${STARTS_TURN} WHERE ${lineAfter('OLD')};
  UPDATE chat_lines SET reply_ms = ${ANSWER} WHERE ${startBefore('OLD')};
  UPDATE chat_lines SET reply_ms = ${ANSWER} WHERE ${lineAfter('OLD')};
END;`,
];

/** The task fields a task_facts row is made of (besides its id): when none of them changes, neither does the row. */
const FACT_FIELDS = ['projectId', 'status', 'assigneeId', 'dueAt', 'createdAt', 'startedAt', 'completedAt', 'fromChat'] as const;

/**
 * Migration 11: task_facts_update only when a field of the facts changed. Without the condition every task
 * update (a title, a description, a position) deleted and re-inserted the task's row with its seven index
 * entries inside the commit: about a third of the SQLite CPU of a PATCH that edits a title.
 */
export const TASK_FACTS_UPDATE_ONLY_ON_FACTS: readonly string[] = [
  'DROP TRIGGER task_facts_update;',
  `CREATE TRIGGER task_facts_update AFTER UPDATE OF doc ON tasks WHEN ${FACT_FIELDS.map((f) => `NEW.doc->>'${f}' IS NOT OLD.doc->>'${f}'`).join(' OR ')}
BEGIN INSERT OR REPLACE INTO task_facts VALUES (${taskFacts('NEW')}); END;`,
];

/**
 * What records stored before analytics get: their tasks' moves replayed from the feed (each entry whose status
 * differs from the task's previous one), a last move where the feed does not end in the task's column, startedAt
 * and fromChat; then the plain tables, in bulk (their triggers are for the changes that follow).
 */
export const ANALYTICS_BACKFILL: readonly string[] = [
  `INSERT INTO task_moves (id, doc)
SELECT printf('%s:%012d', task_id, seq), json_object('projectId', project_id, 'taskId', task_id, 'from', prev, 'to', status, 'at', at)
FROM (
  SELECT c.project_id, c.seq, c.data->>'id' AS task_id, c.data->>'status' AS status,
    lag(c.data->>'status') OVER (PARTITION BY c.data->>'id' ORDER BY c.seq) AS prev,
    CASE WHEN c.type = 'task.created' THEN c.data->>'createdAt' ELSE c.at END AS at
  FROM changes c
  WHERE c.type IN ('task.created', 'task.updated', 'task.moved') AND c.data->>'id' IN (SELECT id FROM tasks)
)
WHERE prev IS NULL OR prev <> status;`,
  `INSERT INTO task_moves (id, doc)
SELECT t.id || ':backfill', json_object('projectId', t.project_id, 'taskId', t.id, 'from', last.to_status, 'to', t.status,
  'at', CASE WHEN last.to_status IS NULL THEN t.doc->>'createdAt' ELSE max(t.doc->>'updatedAt', last.at) END)
FROM tasks t
LEFT JOIN task_moves last ON last.id = (SELECT m.id FROM task_moves m WHERE m.task_id = t.id ORDER BY m.at DESC, m.id DESC LIMIT 1)
WHERE last.to_status IS NULL OR last.to_status <> t.status;`,
  `UPDATE tasks SET doc = json_set(doc, '$.fromChat', json('false'), '$.startedAt', (
  SELECT min(m.at) FROM task_moves m
  WHERE m.task_id = tasks.id AND m.to_status <> (SELECT p.doc->'columns'->0->>'key' FROM projects p WHERE p.id = tasks.project_id)
)) WHERE json_type(doc, '$.fromChat') IS NULL;`,
  `INSERT INTO task_facts SELECT ${taskFacts('tasks')} FROM tasks;`,
  `INSERT INTO flow_hours SELECT project_id, hour, status, sum(delta) FROM (
  SELECT project_id, substr(at, 1, 13) AS hour, to_status AS status, 1 AS delta FROM task_moves
  UNION ALL SELECT project_id, substr(at, 1, 13), from_status, -1 FROM task_moves WHERE from_status IS NOT NULL
) GROUP BY project_id, hour, status;`,
  `INSERT INTO chat_lines (room_id, at, id, author_id, starts)
SELECT room_id, created_at, id, doc->>'authorId',
  doc->>'authorId' IS NOT lag(doc->>'authorId') OVER (PARTITION BY room_id ORDER BY created_at, id)
FROM messages WHERE doc->>'deletedAt' IS NULL;`,
  `UPDATE chat_lines SET reply_ms = next.ms FROM (
  SELECT room_id, at, id, CAST(round((julianday(lead(at) OVER (PARTITION BY room_id ORDER BY at, id)) - julianday(at)) * 86400000) AS INTEGER) AS ms
  FROM chat_lines WHERE starts = 1
) AS next WHERE (chat_lines.room_id, chat_lines.at, chat_lines.id) = (next.room_id, next.at, next.id);`,
  'INSERT INTO chat_hours SELECT room_id, substr(at, 1, 13), count(*) FROM chat_lines GROUP BY room_id, substr(at, 1, 13);',
];
