// Keeps systemd's watchdog fed only while the pipeline reports itself healthy: a wedged agent stops the
// keep-alives and systemd restarts it (Restart=always), which is the whole point of WatchdogSec.
import type { ServiceNotifier } from "./systemd.js";

export interface WatchdogLoop {
  stop(): void;
}

/** Sends WATCHDOG=1 every notifier.watchdogIntervalMs while healthy() is true. No-op without an armed watchdog. */
export function startWatchdog(notifier: ServiceNotifier, healthy: () => boolean): WatchdogLoop {
  const interval = notifier.watchdogIntervalMs;
  if (interval === undefined) return { stop() {} };
  const tick = () => {
    if (healthy()) notifier.watchdog();
  };
  tick();
  const timer = setInterval(tick, interval);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
