// The agent as a long-running process: signals, reload, the systemd watchdog, and containment of stray errors.
import type { AgentConfig } from "../../config/schema/index.js";
import { ConfigError } from "../../config/load.js";
import { RateLimitedLog, type Logger } from "../log.js";
import { startWatchdog } from "../service/watchdog.js";
import { startAgent, type AgentDeps, type RunningAgent, type StartOptions } from "./agent.js";

export interface ProcessOptions {
  log: Logger;
  deps: AgentDeps;
  /** Re-reads the config for SIGHUP; throws ConfigError when it is invalid. */
  reload?: () => AgentConfig;
  /** Hard limit for a clean shutdown. */
  stopTimeoutMs?: number;
  start?: Partial<StartOptions>;
  /** Called after every (re)start, e.g. for the demo's live view. */
  onStart?: (agent: RunningAgent) => void;
  /** Called before exit, after the agent stopped (close the demo broker). */
  onStop?: () => Promise<void>;
}

/** Runs until SIGTERM or SIGINT; resolves with the exit code. */
export async function runAgentProcess(config: AgentConfig, opts: ProcessOptions): Promise<number> {
  const { log } = opts;
  const stray = new RateLimitedLog(log);
  const notifier = opts.deps.notifier?.(log);
  let agent: RunningAgent | undefined;
  const start = async (cfg: AgentConfig) => {
    agent = await startAgent(cfg, { log, deps: opts.deps, ...opts.start });
    opts.onStart?.(agent);
    notifier?.ready();
  };

  // Errors outside any stream's containment (a driver callback, a socket) are reported and survived: the store is
  // durable, and a restart would lose the open batches for nothing.
  const onUncaught = (e: unknown) => stray.error("uncaught", "uncaught error contained", { err: (e as Error)?.stack ?? String(e) });
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);

  // Signals are handled from the first moment: one arriving while the agent starts waits for the start to finish.
  let busy: Promise<unknown> = start(config);
  const reload = () => {
    busy = busy.then(async () => {
      if (!opts.reload) return;
      let next: AgentConfig;
      try {
        next = opts.reload();
      } catch (e) {
        const why = e instanceof ConfigError ? e.issues : [{ path: "", message: (e as Error).message }];
        log.error({ issues: why }, "SIGHUP: new config is invalid; still running on the previous one");
        return;
      }
      notifier?.reloading();
      log.info("SIGHUP: reloading config");
      await agent?.stop();
      await start(next);
    });
  };
  // Without a config file to re-read (the demo), SIGHUP means the terminal went away: stop like SIGTERM.
  const onHup = () => (opts.reload ? reload() : process.emit("SIGTERM"));
  process.on("SIGHUP", onHup);
  // An operator on the gateway asks for raw vibration waveforms now: `systemctl kill -s USR2 edge-agent`.
  const onUsr2 = () => agent?.requestSnapshots();
  process.on("SIGUSR2", onUsr2);
  const watchdog = notifier ? startWatchdog(notifier, () => agent?.healthy() ?? false) : undefined;

  return await new Promise<number>((resolveExit) => {
    const finish = (code: number) => {
      watchdog?.stop();
      process.off("SIGHUP", onHup);
      process.off("SIGUSR2", onUsr2);
      process.off("uncaughtException", onUncaught);
      process.off("unhandledRejection", onUncaught);
      resolveExit(code);
    };
    busy.catch((e) => {
      log.error({ err: (e as Error).message }, "agent failed to start");
      void notifier?.flush().then(() => finish(1));
    });
    const shutdown = (signal: string) => {
      log.info({ signal }, "stopping");
      notifier?.stopping();
      const limit = setTimeout(() => {
        log.error("clean shutdown took too long; exiting");
        finish(1);
      }, opts.stopTimeoutMs ?? 4500);
      limit.unref();
      void busy
        .catch(() => undefined)
        .then(() => agent?.stop())
        .then(() => opts.onStop?.())
        .then(() => notifier?.flush())
        .then(
          () => {
            clearTimeout(limit);
            finish(0);
          },
          (e) => {
            log.error({ err: (e as Error).message }, "error while stopping");
            finish(1);
          },
        );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
