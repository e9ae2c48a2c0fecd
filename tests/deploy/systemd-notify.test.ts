import { afterEach, describe, expect, it } from "vitest";
import { createServiceNotifier, watchdogIntervalFromEnv } from "../../agent/service/systemd.js";
import { startWatchdog } from "../../agent/service/watchdog.js";
import { silentLogger } from "../../agent/log.js";
import { startNotifySocket, type FakeNotifySocket } from "./support/notify-socket.js";

let sock: FakeNotifySocket | undefined;
afterEach(() => sock?.close());

describe("createServiceNotifier", () => {
  it("is a no-op without NOTIFY_SOCKET and has no watchdog interval", async () => {
    const n = createServiceNotifier(silentLogger(), { env: { WATCHDOG_USEC: "30000000" }, notifyCommand: "/nonexistent" });
    expect(n.watchdogIntervalMs).toBeUndefined();
    n.ready();
    n.watchdog();
    await n.flush();
  });

  it("derives the keep-alive interval as half of WATCHDOG_USEC, only for the process WATCHDOG_PID names", () => {
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000" })).toBe(15_000);
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: String(process.pid) })).toBe(15_000);
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: String(process.pid + 1) })).toBeUndefined();
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "junk" })).toBeUndefined();
    expect(watchdogIntervalFromEnv({})).toBeUndefined();
  });

  it("delivers READY=1, STATUS, WATCHDOG=1 and STOPPING=1 in order to the notification socket", async () => {
    sock = await startNotifySocket();
    const n = createServiceNotifier(silentLogger(), { env: { ...process.env, NOTIFY_SOCKET: sock.path, WATCHDOG_USEC: "4000000" } });
    expect(n.watchdogIntervalMs).toBe(2000);
    n.ready();
    n.status("3 streams running\nall healthy");
    n.watchdog();
    n.stopping();
    await n.flush();
    await sock.waitFor((m) => m === "STOPPING=1");
    const sent = sock.messages.filter((m) => m !== "BARRIER=1");
    expect(sent).toEqual(["READY=1", "STATUS=3 streams running all healthy", "WATCHDOG=1", "STOPPING=1"]);
  });

  it("counts a failing notifier instead of throwing", async () => {
    const lines: string[] = [];
    const { pino } = await import("pino");
    const log = pino({ level: "warn" }, { write: (s: string) => lines.push(s) });
    const n = createServiceNotifier(log, { env: { NOTIFY_SOCKET: "/nonexistent/notify.sock" }, notifyCommand: "/nonexistent/systemd-notify" });
    n.ready();
    n.watchdog();
    await n.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("systemd notification failed");
  });
});

describe("startWatchdog", () => {
  it("feeds the watchdog only while the pipeline is healthy", async () => {
    sock = await startNotifySocket();
    let healthy = false;
    const n = createServiceNotifier(silentLogger(), { env: { ...process.env, NOTIFY_SOCKET: sock.path, WATCHDOG_USEC: "20000" } });
    const loop = startWatchdog(n, () => healthy);
    // The first tick ran unhealthy and sent nothing: a marker sent afterwards arrives with nothing before it.
    n.status("marker");
    await sock.waitFor((m) => m === "STATUS=marker");
    expect(sock.messages.filter((m) => m !== "BARRIER=1")).toEqual(["STATUS=marker"]);
    healthy = true;
    await sock.waitFor((m) => m === "WATCHDOG=1");
    loop.stop();
    await n.flush();
  });

  it("does nothing when no watchdog is armed", () => {
    const n = createServiceNotifier(silentLogger(), { env: {} });
    let asked = 0;
    startWatchdog(n, () => (asked++, true)).stop();
    expect(asked).toBe(0);
  });
});
