// The store's SQLite schema. One row per frame; counters and sequence numbers live beside the frames so one
// transaction keeps them consistent.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS frames (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  untrusted INTEGER NOT NULL,
  codec TEXT NOT NULL,
  samples INTEGER NOT NULL,
  t_first REAL NOT NULL,
  t_last REAL NOT NULL,
  created_ms INTEGER NOT NULL,
  bytes BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS frames_evict ON frames (priority DESC, id);
CREATE TABLE IF NOT EXISTS seqs (stream TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS drops (reason TEXT PRIMARY KEY, frames INTEGER NOT NULL, samples INTEGER NOT NULL);
-- The batches still being filled: one row per grouped commit holding the raw parts it adds and the batches it
-- closes (agent/store/open-bundle.ts), deleted once every batch with a part in it has closed; replayed in id order
-- and rebuilt into the frames those batches would have closed as after a crash.
CREATE TABLE IF NOT EXISTS open_bundles (
  id INTEGER PRIMARY KEY,
  bytes BLOB NOT NULL
);
-- Written by earlier versions (one row per open batch per commit, deleted with the batch's closed frame); read only
-- to recover what such a version left.
CREATE TABLE IF NOT EXISTS open_parts (
  id INTEGER PRIMARY KEY,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  part INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  bytes BLOB NOT NULL
);
-- Written by earlier versions (the batch each stream was still filling, as a frame with the sequence number its closed frame will take. Replaced
-- at every commit, deleted when that frame is stored; after a crash it is recovered as a frame of its own.
CREATE TABLE IF NOT EXISTS open_frames (
  stream TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  untrusted INTEGER NOT NULL,
  codec TEXT NOT NULL,
  samples INTEGER NOT NULL,
  t_first REAL NOT NULL,
  t_last REAL NOT NULL,
  bytes BLOB NOT NULL
);
`;

/** Per-row bookkeeping SQLite adds beyond the payload (row header, index entry, columns); used for the byte bound. */
export const ROW_OVERHEAD_BYTES = 96;
