import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Frame } from "../../agent/pipeline/frame.js";
import type { PriorityLevel } from "../../agent/model.js";
import { openFrameStore } from "../../agent/store/frame-store.js";
import type { FrameStore, FrameStoreOptions } from "../../agent/store/frame-store-types.js";
import { silentLogger } from "../../agent/log.js";
import { SCHEMA } from "../../agent/store/sql.js";
import { afterEach, beforeEach } from "vitest";

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "store-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite file with the store's schema for each test of the calling file; call the result for the open handle. */
export function useSchemaDb(): () => Database.Database {
  let db: Database.Database | undefined;
  let cleanup = (): void => {};
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = new Database(join(t.dir, "store.db"));
    db.exec(SCHEMA);
  });
  afterEach(() => {
    db?.close();
    cleanup();
  });
  return () => db!;
}

export function openTestStore(path: string, o: Partial<FrameStoreOptions> = {}): FrameStore {
  return openFrameStore({ path, maxBytes: 1 << 30, flushIntervalMs: 1000, commitEveryEvent: true, log: silentLogger(), ...o });
}

export function frame(store: FrameStore, stream: string, o: Partial<Frame> & { size?: number } = {}): Frame {
  const seq = store.nextSeq(stream);
  const bytes = o.bytes ?? new Uint8Array(o.size ?? 100).fill(seq & 0xff);
  return {
    stream,
    seq,
    priority: (o.priority ?? 3) as PriorityLevel,
    bytes,
    codec: o.codec ?? "test",
    samples: o.samples ?? 10,
    tFirst: o.tFirst ?? seq * 10,
    tLast: o.tLast ?? seq * 10 + 9,
    untrusted: o.untrusted ?? false,
    urgent: o.urgent ?? false,
  };
}
