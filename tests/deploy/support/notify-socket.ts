// A fake NOTIFY_SOCKET for tests: a python3 helper binds the datagram socket and reports each message.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface FakeNotifySocket {
  path: string;
  messages: string[];
  /** Resolves when a received message satisfies pred; rejects if the helper dies first. */
  waitFor(pred: (m: string) => boolean): Promise<string>;
  close(): void;
}

/** Debian's interpreter directly when present: version-manager shims add a second to every start. */
function python3(): string {
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

export async function startNotifySocket(): Promise<FakeNotifySocket> {
  const dir = mkdtempSync(join(tmpdir(), "edge-notify-"));
  const path = join(dir, "notify.sock");
  const child: ChildProcess = spawn(python3(), [new URL("./notify-receiver.py", import.meta.url).pathname, path], { stdio: ["ignore", "pipe", "inherit"] });
  const messages: string[] = [];
  const waiters: { pred: (m: string) => boolean; resolve: (m: string) => void; reject: (e: Error) => void }[] = [];
  let exited = false;
  const bound = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const ev = JSON.parse(line) as { bound?: string; message?: string };
      if (ev.bound) return resolve();
      if (ev.message === undefined) return;
      for (const m of ev.message.split("\n")) {
        messages.push(m);
        for (const w of [...waiters]) if (w.pred(m)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(m);
      }
    });
    child.on("exit", (code) => {
      exited = true;
      const err = new Error(`notify receiver exited (${code})`);
      reject(err);
      for (const w of waiters.splice(0)) w.reject(err);
    });
  });
  await bound;
  return {
    path,
    messages,
    waitFor(pred) {
      const hit = messages.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      if (exited) return Promise.reject(new Error("notify receiver is not running"));
      return new Promise((resolve, reject) => waiters.push({ pred, resolve, reject }));
    },
    close() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
