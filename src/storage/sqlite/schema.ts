/**
 * The SQLite dialect as data: the log table kine (k3s) keeps, and every statement we run.
 *
 * One append-only table holds every write. `id` is the revision. A key's value at revision
 * R is its newest row with id <= R, unless that row is a deletion (a tombstone). Row 0 is
 * not a key: it records the compacted revision in `prev_revision`, as kine's
 * `compact_rev_key` row does; every key query filters it out with `id > 0`.
 *
 * `prev_revision` is the id of the key's previous row (its last value, or the tombstone a
 * re-create follows). Watch events take prevKv from that row, and compaction deletes it once
 * a newer row at or below the compact revision supersedes it. A tombstone stores the value
 * it deleted, so a DELETE event needs no other row.
 */

export const SCHEMA_VERSION = 1;

export const CREATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  lease INTEGER NOT NULL DEFAULT 0,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
INSERT OR IGNORE INTO log (id, name, created, deleted, create_revision, prev_revision, value)
  VALUES (0, 'compact_rev_key', 0, 0, 0, 0, '');
`;

/** A row as the key queries return it. */
export interface LogRow {
  readonly id: number;
  readonly name: string;
  readonly created: number;
  readonly deleted: number;
  readonly create_revision: number;
  readonly prev_revision: number;
  readonly value: string;
}

/** A row with the value of its previous row, as the watch history returns it. */
export interface HistoryRow extends LogRow {
  readonly prev_value: string | null;
}

const ROW = 'id, name, created, deleted, create_revision, prev_revision, value';

/**
 * Keys at or after the prefix and strictly after @after, as ONE lower bound the name index
 * can seek to (two separate bounds would make SQLite scan from the prefix on every page).
 * max() compares in byte order, like the index.
 */
const RANGE = 'name >= max(@lo, @after) AND name != @after';

export const SQL = {
  currentRevision: `SELECT seq FROM sqlite_sequence WHERE name = 'log'`,
  compactedRevision: 'SELECT prev_revision FROM log WHERE id = 0',
  setCompactedRevision: 'UPDATE log SET prev_revision = ? WHERE id = 0',

  latest: `SELECT ${ROW} FROM log WHERE name = ? AND id > 0 ORDER BY id DESC LIMIT 1`,
  latestAt: `SELECT ${ROW} FROM log WHERE name = ? AND id > 0 AND id <= ? ORDER BY id DESC LIMIT 1`,

  insert: `INSERT INTO log (name, created, deleted, create_revision, prev_revision, value)
    VALUES (?, ?, ?, ?, ?, ?)`,

  /** Newest row per key at @rev, skipping tombstones, in key order (`+id`: walk the name index). */
  list: (bounded: boolean): string => `
    SELECT ${ROW} FROM log AS kv
    WHERE ${RANGE}${bounded ? ' AND name < @hi' : ''} AND +id > 0 AND +id <= @rev
      AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = kv.name AND n.id > kv.id AND n.id <= @rev)
      AND deleted = 0
    ORDER BY name LIMIT @limit`,

  /** How many keys `list` would return without a limit. */
  count: (bounded: boolean): string => `
    SELECT COUNT(*) AS n FROM log AS kv
    WHERE ${RANGE}${bounded ? ' AND name < @hi' : ''} AND +id > 0 AND +id <= @rev
      AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = kv.name AND n.id > kv.id AND n.id <= @rev)
      AND deleted = 0`,

  /**
   * Rows after @after under a prefix, in revision order. The `+` keeps SQLite on the
   * primary key (a revision range) instead of the name index.
   */
  history: (bounded: boolean): string => `
    SELECT kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.value,
      p.value AS prev_value
    FROM log AS kv LEFT JOIN log AS p ON p.id = kv.prev_revision AND kv.created = 0 AND kv.deleted = 0
    WHERE kv.id > @after AND +kv.name >= @lo${bounded ? ' AND +kv.name < @hi' : ''}
    ORDER BY kv.id LIMIT @limit`,

  /**
   * Compaction of the revisions in (@lo, @hi]: each row there supersedes its previous row,
   * and each tombstone there is no longer needed by any read at or after @hi.
   */
  compact: `
    DELETE FROM log WHERE id IN (
      SELECT prev_revision FROM log WHERE id > @lo AND id <= @hi AND prev_revision > 0
      UNION ALL
      SELECT id FROM log WHERE id > @lo AND id <= @hi AND deleted = 1)`,
} as const;
