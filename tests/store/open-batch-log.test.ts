// OpenBatchLog on its own, on a real SQLite file with the store's schema: which open_bundles row each commit writes,
// which rows it deletes, and what it remembers only once the commit is durable.
import { describe, expect, it } from "vitest";
import type { OpenPart } from "../../agent/pipeline/frame.js";
import { OpenBatchLog } from "../../agent/store/open-batch-log.js";
import { decodeOpenBundle } from "../../agent/store/open-bundle.js";
import { } from "../../agent/store/sql.js";
import { useSchemaDb } from "./helpers.js";

const db = useSchemaDb();
const prepare = (sql: string) => db().prepare(sql);

const part = (stream: string, seq: number, n: number): OpenPart => ({ stream, seq, part: n, priority: 3, samples: 1, bytes: Uint8Array.of(n) });
const rows = () => (db().prepare("SELECT id, bytes FROM open_bundles ORDER BY id").all() as { id: number; bytes: Uint8Array }[]).map((r) => ({ id: r.id, ...decodeOpenBundle(r.bytes) }));
/** One commit: the row written inside a transaction, remembered once it has committed. */
function commit(log: OpenBatchLog, closing: { stream: string; seq: number }[] = []) {
  const change = db().transaction(() => log.write(prepare, closing))();
  log.committed(change);
  return change;
}

describe("OpenBatchLog", () => {
  it("writes nothing when no part waits and nothing checkpointed closes", () => {
    const log = new OpenBatchLog();
    expect(commit(log, [{ stream: "t", seq: 1 }])).toBeUndefined();
    expect(rows()).toEqual([]);
  });

  it("puts a commit's parts in one row and lists the checkpointed batches its frames close", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 1, 0), part("b", 7, 0)]);
    expect(log.waiting).toBe(true);
    commit(log);
    expect(log.waiting).toBe(false);
    log.add([part("a", 1, 1)]);
    // b's frame is stored by this commit; c never had a part, so it is not listed.
    commit(log, [{ stream: "b", seq: 7 }, { stream: "c", seq: 3 }]);
    const [first, second] = rows();
    expect(first.parts.map((p) => [p.stream, p.seq, p.part])).toEqual([["a", 1, 0], ["b", 7, 0]]);
    expect(second.parts.map((p) => [p.stream, p.seq, p.part])).toEqual([["a", 1, 1]]);
    expect(second.closed).toEqual([{ stream: "b", seq: 7 }]);
  });

  it("deletes the rows below the first part of the oldest batch still open, and keeps the newest row", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 1, 0)]);
    const r1 = commit(log)!;
    log.add([part("b", 1, 0)]);
    const r2 = commit(log)!;
    // a closes: row r1 holds only a's part, row r2 holds b's first part.
    const r3 = commit(log, [{ stream: "a", seq: 1 }])!;
    expect(rows().map((r) => r.id)).toEqual([r2.id, r3.id]);
    // b closes too: only the newest row stays, so row ids keep growing.
    const r4 = commit(log, [{ stream: "b", seq: 1 }])!;
    expect(rows().map((r) => r.id)).toEqual([r4.id]);
    expect(r1.id < r2.id && r2.id < r3.id && r3.id < r4.id).toBe(true);
  });

  it("opens and closes a batch within one commit", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 4, 0)]);
    const change = commit(log, [{ stream: "a", seq: 4 }])!;
    expect(rows()[0].closed).toEqual([{ stream: "a", seq: 4 }]);
    expect(change.opened.size).toBe(0);
  });

  it("lists a batch closed without a stored frame once, in the next row", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 2, 0)]);
    commit(log);
    log.closedWithoutFrame({ stream: "a", seq: 2 });
    commit(log);
    expect(rows().at(-1)!.closed).toEqual([{ stream: "a", seq: 2 }]);
    log.add([part("z", 1, 0)]);
    commit(log);
    expect(rows().at(-1)!.closed).toEqual([]);
  });

  it("keeps its parts and forgets nothing when the transaction fails", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 1, 0)]);
    expect(() =>
      db().transaction(() => {
        log.write(prepare, []);
        throw new Error("disk full");
      })(),
    ).toThrow("disk full");
    expect(log.waiting).toBe(true);
    expect(rows()).toEqual([]);
    commit(log);
    expect(rows()[0].parts.map((p) => p.stream)).toEqual(["a"]);
  });

  it("after reopened(), a batch's next part counts as its first again", () => {
    const log = new OpenBatchLog();
    log.add([part("a", 1, 0)]);
    commit(log);
    log.reopened();
    log.add([part("a", 1, 1)]);
    const change = commit(log)!;
    expect([...change.opened]).toHaveLength(1);
  });
});
