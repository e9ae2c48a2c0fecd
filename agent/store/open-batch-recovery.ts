// At open, the batches that were being filled when the process last stopped become frames: their samples were
// accepted, so they are sent like any other. Reads every kind of open-batch checkpoint this store has written (whole
// encoded batches, one row per part, one row per commit), then deletes them all.
import type Database from "better-sqlite3";
import type { Logger } from "../log.js";
import { frameFromOpenParts } from "../codec/open-batch.js";
import { decodeOpenBundle, replayOpenBundles, type OpenBundle } from "./open-bundle.js";

export function recoverOpenBatches(db: Database.Database, prepare: (sql: string) => Database.Statement, now: () => number, log: Logger): void {
  const insert = prepare(
    "INSERT INTO frames (stream, seq, priority, urgent, untrusted, codec, samples, t_first, t_last, created_ms, bytes) VALUES (?,?,?,0,?,?,?,?,?,?,?)",
  );
  // Checkpoints written by versions before open_parts: whole batches, already encoded.
  const legacy = prepare("SELECT * FROM open_frames").all() as {
    stream: string;
    seq: number;
    priority: number;
    untrusted: number;
    codec: string;
    samples: number;
    t_first: number;
    t_last: number;
    bytes: Uint8Array;
  }[];
  // Rows of earlier versions first: a database holds one kind or the other, never both for one batch.
  const parts = prepare("SELECT stream, seq, part, priority, samples, bytes FROM open_parts ORDER BY stream, seq, part").all() as OpenBundle["parts"];
  const bundles: OpenBundle[] = parts.length ? [{ parts, closed: [] }] : [];
  for (const r of prepare("SELECT id, bytes FROM open_bundles ORDER BY id").all() as { id: number; bytes: Uint8Array }[]) {
    try {
      bundles.push(decodeOpenBundle(r.bytes));
    } catch (e) {
      log.error({ row: r.id, err: String(e) }, "an open-batch checkpoint row is unreadable; the samples only it held are lost");
    }
  }
  if (!legacy.length && !bundles.length) return;
  const batches = replayOpenBundles(bundles);
  let frames = 0;
  let samples = 0;
  db.transaction(() => {
    for (const r of legacy) insert.run(r.stream, r.seq, r.priority, r.untrusted, r.codec, r.samples, r.t_first, r.t_last, now(), r.bytes);
    for (const b of batches.values()) {
      try {
        const f = frameFromOpenParts(b.stream, b.seq, b.parts);
        insert.run(b.stream, b.seq, b.priority, f.untrusted ? 1 : 0, f.codec, f.samples, f.tFirst, f.tLast, now(), f.bytes);
        frames++;
        samples += f.samples;
      } catch (e) {
        log.error({ stream: b.stream, seq: b.seq, err: String(e) }, "an open-batch checkpoint could not be rebuilt; its samples are lost");
      }
    }
    prepare("DELETE FROM open_frames").run();
    prepare("DELETE FROM open_parts").run();
    prepare("DELETE FROM open_bundles").run();
  })();
  frames += legacy.length;
  samples += legacy.reduce((n, r) => n + r.samples, 0);
  log.info({ frames, samples }, "recovered the batches open at the last stop");
}
