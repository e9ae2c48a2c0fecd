// Structured logs: JSON lines for services (journald), readable lines in a terminal.
import { pino, type Logger } from "pino";

export type { Logger };

export interface LogOptions {
  level?: string;
  /** "json" for services, "pretty" for terminals; "auto" picks pretty on a TTY. */
  format?: "json" | "pretty" | "auto";
  /** Write to this file descriptor (default: stdout). */
  destination?: number;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? process.env.EDGE_AGENT_LOG_LEVEL ?? "info";
  const dest = opts.destination ?? 1;
  const pretty = opts.format === "pretty" || (opts.format !== "json" && process.stdout.isTTY === true && dest === 1);
  // Top-level "key" is RateLimitedLog's grouping key, not a secret; nested keys (tls.key) are.
  const redact = { paths: ["*.password", "*.key", "*.passphrase", "password", "passphrase", "*.*.password", "*.*.key"], censor: "[secret]" };
  if (pretty) {
    return pino({
      level,
      redact,
      transport: { target: "pino-pretty", options: { destination: dest, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } },
    });
  }
  return pino({ level, redact, base: undefined }, pino.destination({ dest, sync: true }));
}

/** A logger that drops everything; for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * Logs the first occurrence of a key at once, then at most once per `intervalMs` with the count of repeats,
 * so a failing sensor read at 100 Hz produces one line, not a flood.
 */
export class RateLimitedLog {
  private readonly seen = new Map<string, { last: number; suppressed: number; total: number }>();

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, msg: string, fields: Record<string, unknown> = {}): void {
    this.emit("warn", key, msg, fields);
  }

  error(key: string, msg: string, fields: Record<string, unknown> = {}): void {
    this.emit("error", key, msg, fields);
  }

  total(key: string): number {
    return this.seen.get(key)?.total ?? 0;
  }

  private emit(level: "warn" | "error", key: string, msg: string, fields: Record<string, unknown>): void {
    const t = this.now();
    const s = this.seen.get(key);
    if (!s) {
      this.seen.set(key, { last: t, suppressed: 0, total: 1 });
      this.log[level]({ ...fields, key }, msg);
      return;
    }
    s.total++;
    if (t - s.last >= this.intervalMs) {
      this.log[level]({ ...fields, key, repeated: s.suppressed + 1, total: s.total }, msg);
      s.last = t;
      s.suppressed = 0;
    } else {
      s.suppressed++;
    }
  }
}
