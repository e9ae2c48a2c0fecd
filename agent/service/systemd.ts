// sd_notify(3) from Node.js: readiness, watchdog keep-alives and status for a Type=notify systemd service.
//
// Node has no AF_UNIX datagram sockets, and the npm packages that add them are native addons (one more thing to
// cross-build for armhf/arm64). systemd ships `systemd-notify`, which speaks the protocol and, since v246, waits
// on a BARRIER=1 until the manager has read the message, so the child's short life does not lose it. The unit
// sets NotifyAccess=all so the manager accepts messages from that child of the main process. A keep-alive every
// few seconds costs one short process, negligible next to WatchdogSec.
import { execFile } from "node:child_process";
import { RateLimitedLog, type Logger } from "../log.js";

export interface ServiceNotifier {
  ready(): void;
  watchdog(): void;
  stopping(): void;
  reloading(): void;
  status(text: string): void;
  /** Half of WATCHDOG_USEC (the interval systemd recommends), or undefined when no watchdog is armed. */
  watchdogIntervalMs: number | undefined;
  /** Resolves once every message sent so far has been handed to the manager (or failed and was logged). */
  flush(): Promise<void>;
}

export interface NotifierOptions {
  env?: NodeJS.ProcessEnv;
  /** The systemd-notify binary; found on PATH by default. */
  notifyCommand?: string;
}

/** WATCHDOG_USEC applies only to the process it names in WATCHDOG_PID (when set), so children do not inherit it. */
export function watchdogIntervalFromEnv(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

export function createServiceNotifier(log: Logger, opts: NotifierOptions = {}): ServiceNotifier {
  const env = opts.env ?? process.env;
  const socket = env.NOTIFY_SOCKET;
  const watchdogIntervalMs = socket ? watchdogIntervalFromEnv(env) : undefined;
  if (!socket) {
    const noop = () => {};
    return { ready: noop, watchdog: noop, stopping: noop, reloading: noop, status: noop, watchdogIntervalMs, flush: async () => {} };
  }
  const command = opts.notifyCommand ?? "systemd-notify";
  const errors = new RateLimitedLog(log);
  // Messages go out one at a time so the manager sees READY=1 before the first WATCHDOG=1.
  let queue: Promise<void> = Promise.resolve();
  const send = (...assignments: string[]): void => {
    queue = queue.then(
      () =>
        new Promise<void>((resolve) => {
          execFile(command, assignments, { env: { ...env, NOTIFY_SOCKET: socket }, timeout: 10_000 }, (err, _out, stderr) => {
            if (err) errors.warn("sd-notify", "systemd notification failed", { message: assignments.join(" "), error: String(stderr || err.message).trim() });
            resolve();
          });
        }),
    );
  };
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");
  return {
    ready: () => send("READY=1"),
    watchdog: () => send("WATCHDOG=1"),
    stopping: () => send("STOPPING=1"),
    reloading: () => send("RELOADING=1"),
    status: (text) => send(`STATUS=${oneLine(text)}`),
    watchdogIntervalMs,
    flush: () => queue,
  };
}
