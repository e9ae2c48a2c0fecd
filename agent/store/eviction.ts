// Which committed frames leave when the store needs room (the byte bound, a full medium). A larger priority number
// is less important: raw waveforms go first, then the oldest periodic data, and events only when nothing else is
// left. Every frame that goes is reported, so the store can send a gap record for it.
import type Database from "better-sqlite3";
import type { PriorityLevel } from "../model.js";
import { ROW_OVERHEAD_BYTES } from "./sql.js";

/** What a gap record needs of a dropped frame. */
export interface DroppedFrame {
  stream: string;
  samples: number;
  tFirst: number;
  tLast: number;
}

interface Candidate {
  id: number;
  priority: number;
  stream: string;
  samples: number;
  t_first: number;
  t_last: number;
  n: number;
}

/**
 * Deletes committed frames no more important than `priority`, least important first and oldest first among equals,
 * skipping those `busy` names (in flight or acknowledged), until `bytes` are freed. Runs inside the caller's
 * transaction; each deleted id is pushed to `deleted`.
 */
export function evictFrames(
  prepare: (sql: string) => Database.Statement,
  busy: (id: number) => boolean,
  priority: PriorityLevel | number,
  bytes: number,
  onDrop: (frame: DroppedFrame) => void,
  deleted: number[],
): { bytes: number; frames: number } {
  let freed = 0;
  let frames = 0;
  let after = { p: Number.MAX_SAFE_INTEGER, id: 0 };
  const sel = prepare(
    "SELECT id, priority, stream, samples, t_first, t_last, length(bytes) AS n FROM frames WHERE priority >= ? AND (priority < ? OR (priority = ? AND id > ?)) ORDER BY priority DESC, id LIMIT 64",
  );
  const del = prepare("DELETE FROM frames WHERE id = ?");
  while (freed < bytes) {
    const rows = sel.all(priority, after.p, after.p, after.id) as Candidate[];
    if (!rows.length) break;
    for (const r of rows) {
      after = { p: r.priority, id: r.id };
      if (busy(r.id)) continue;
      del.run(r.id);
      deleted.push(r.id);
      freed += r.n + ROW_OVERHEAD_BYTES;
      frames++;
      onDrop({ stream: r.stream, samples: r.samples, tFirst: r.t_first, tLast: r.t_last });
      if (freed >= bytes) break;
    }
  }
  return { bytes: freed, frames };
}
