// A door contact: edges from a GPIO line, debounced on the leading edge, become door.open / door.close events.
import { LeadingEdgeDebouncer, type LevelChange } from "../../drivers/gpio/debounce.js";
import type { GpioLine, Level } from "../../drivers/gpio/line.js";
import { SimGpioLine, type BounceOptions, type OpenInterval } from "../../drivers/gpio/line.sim.js";
import { openGpioLine } from "../../drivers/gpio/open.js";
import type { StreamConfig } from "../../config/schema/index.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type Emit, type StreamInfo } from "../model.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { Source, SourceStatus } from "../pipeline/stages.js";

type DoorSensorConfig = Extract<StreamConfig["sensor"], { type: "gpio-door" }>;

/** What `ctx.shared.get("sim:gpio:<stream>")` holds for a simulated door: the demo opens and closes it. */
export interface SimDoorControl {
  line: SimGpioLine;
  open(bounce?: BounceOptions): void;
  close(bounce?: BounceOptions): void;
  isOpen(): boolean;
  /** Replays a recorded log of open intervals in real time. */
  replay(intervals: OpenInterval[]): Promise<void>;
}

const REOPEN_DELAY_MS = 30_000;

export function createDoorSource(stream: StreamConfig, ctx: RuntimeContext): Source {
  if (stream.sensor.type !== "gpio-door") throw new Error(`stream ${stream.name}: not a gpio-door sensor`);
  const cfg: DoorSensorConfig = stream.sensor;
  // Physical level of an open door: the logical level is the physical one inverted when activeLow.
  const openRaw: Level = (cfg.activeLow ? 1 - cfg.openLevel : cfg.openLevel) as Level;
  const closedRaw: Level = openRaw === 1 ? 0 : 1;
  const info: StreamInfo = { name: stream.name, kind: "event", channels: [], priority: Priority.event, group: stream.group };
  const rlog = new RateLimitedLog(ctx.log, 60_000, ctx.now);
  const status: SourceStatus = { state: "starting", faults: {}, samples: 0 };

  let sim: SimGpioLine | undefined;
  if (cfg.backend === "simulated") {
    const line = new SimGpioLine({ initial: closedRaw, now: ctx.now, name: stream.name });
    sim = line;
    const control: SimDoorControl = {
      line,
      open: (b) => void line.transition(openRaw, b),
      close: (b) => void line.transition(closedRaw, b),
      isOpen: () => debouncer?.level === openRaw,
      replay: (intervals) => line.replay(intervals, openRaw),
    };
    ctx.shared.set(`sim:gpio:${stream.name}`, control);
  }

  let line: GpioLine | undefined;
  let debouncer: LeadingEdgeDebouncer | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let reopenTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let emit: Emit = () => {};

  const fault = (kind: string, msg: string, fields: Record<string, unknown> = {}) => {
    status.faults[kind] = (status.faults[kind] ?? 0) + 1;
    rlog.warn(`door:${stream.name}:${kind}`, msg, { stream: stream.name, ...fields });
  };

  const report = (c: LevelChange, extra: Record<string, unknown> = {}) => {
    status.samples++;
    emit({
      kind: "event",
      stream: stream.name,
      t: c.t,
      type: c.level === openRaw ? "door.open" : "door.close",
      severity: "info",
      data: c.confirmed ? { confirmed: true, ...extra } : extra,
    });
  };

  const scheduleSettle = () => {
    clearTimeout(settleTimer);
    const deadline = debouncer?.deadline;
    if (deadline === undefined || stopped) return;
    settleTimer = setTimeout(() => {
      const c = debouncer!.settle(Math.max(ctx.now(), deadline));
      if (c) report(c);
      scheduleSettle();
    }, Math.max(0, deadline - ctx.now()));
  };

  const open = async (): Promise<void> => {
    const opened = sim ?? (await openGpioLine(cfg.line, { backend: cfg.backend as "auto" | "sysfs" | "chardev", now: ctx.now, sysfsRoot: cfg.sysfsRoot, tools: cfg.gpiodTools }));
    if (stopped) return void (await opened.close()); // stopped while the line was being opened
    line = opened;
    const initial = await line.read().catch(async (e: unknown) => {
      await opened.close();
      line = undefined;
      throw e;
    });
    debouncer = new LeadingEdgeDebouncer(initial, cfg.lockoutMs);
    if (initial === openRaw) report({ level: initial, t: ctx.now(), confirmed: false }, { initial: true });
    opened.watch(
      (e) => {
        if (status.state === "degraded") {
          status.state = "online";
          status.detail = opened.description;
        }
        for (const c of debouncer!.edge(e.level, e.t)) report(c);
        scheduleSettle();
      },
      (err) => {
        status.state = "degraded";
        status.detail = err.message;
        fault("line", err.message);
      },
    );
    status.state = "online";
    status.detail = opened.description;
    ctx.log.info({ stream: stream.name, line: opened.description }, "door contact online");
  };

  const openWithRetry = async (): Promise<void> => {
    try {
      await open();
    } catch (e) {
      status.state = "offline";
      status.detail = (e as Error).message;
      fault("open", `door ${stream.name}: ${(e as Error).message}`);
      if (!stopped) reopenTimer = setTimeout(() => void openWithRetry(), REOPEN_DELAY_MS);
    }
  };

  return {
    id: `door:${stream.name}`,
    streams: [info],
    async start(e: Emit) {
      emit = e;
      stopped = false;
      await openWithRetry();
    },
    async stop() {
      stopped = true;
      clearTimeout(settleTimer);
      clearTimeout(reopenTimer);
      await line?.close();
      line = undefined;
      status.state = "stopped";
    },
    status: () => ({ ...status, faults: { ...status.faults } }),
  };
}
