// Cold-chain temperature alarms: high and low limits, raised after a delay, cleared with hysteresis, held back
// while the room's door is open and for a grace period after it closes.
import type { TemperatureAlarmConfig } from "../../config/schema/processors-analytics.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type Emit, type StreamInfo } from "../model.js";
import type { Processor } from "../pipeline/stages.js";
import type { RuntimeContext } from "../runtime/context.js";
import { channelReader } from "./channel-value.js";

interface Limit {
  name: "temperature.high" | "temperature.low";
  limit: number;
  /** True when the value is beyond the limit. */
  beyond(v: number): boolean;
  /** True when the value is back inside by the hysteresis. */
  cleared(v: number): boolean;
  raised: boolean;
  /** Start of the current unsuppressed excursion. */
  since?: number;
}

export function createTemperatureAlarmProcessor(cfg: TemperatureAlarmConfig, stream: StreamInfo, ctx: RuntimeContext): Processor {
  const alarmStream: StreamInfo = { name: `${stream.name}/alarms`, kind: "event", channels: [], priority: Priority.alarm, group: stream.group };
  const channel = channelReader(stream, cfg.channel, "temperature alarm");
  const rl = new RateLimitedLog(ctx.log, 60_000, ctx.now);
  const limits: Limit[] = [];
  if (cfg.high !== undefined) {
    const high = cfg.high;
    limits.push({ name: "temperature.high", limit: high, beyond: (v) => v > high, cleared: (v) => v <= high - cfg.hysteresis, raised: false });
  }
  if (cfg.low !== undefined) {
    const low = cfg.low;
    limits.push({ name: "temperature.low", limit: low, beyond: (v) => v < low, cleared: (v) => v >= low + cfg.hysteresis, raised: false });
  }
  let last: number | undefined;
  let rejected = 0;

  function evaluate(t: number, emit: Emit): void {
    if (last === undefined) return;
    const v = last;
    const suppressed = ctx.rooms.doorSuppresses(stream.group, t, cfg.doorGraceS * 1000);
    for (const l of limits) {
      const data = { alarm: l.name, channel: channel.name, value: v, limit: l.limit, unit: channel.unit };
      if (l.raised) {
        if (l.cleared(v)) {
          l.raised = false;
          l.since = undefined;
          emit({ kind: "event", stream: alarmStream.name, t, type: "alarm.clear", severity: "info", data });
        }
        continue;
      }
      // An open door explains a warm room: the delay starts only once suppression has ended.
      if (!l.beyond(v) || suppressed) {
        l.since = undefined;
        continue;
      }
      l.since ??= t;
      if (t - l.since >= cfg.delayS * 1000) {
        l.raised = true;
        emit({ kind: "event", stream: alarmStream.name, t, type: "alarm.raise", severity: cfg.severity, data: { ...data, since: l.since } });
      }
    }
  }

  return {
    id: `temperature-alarm:${stream.name}`,
    streams: [alarmStream],
    process(record, emit) {
      emit(record);
      if (record.stream !== stream.name || record.kind !== "sample") return;
      const v = channel.read(record);
      if (v === undefined) {
        rejected++;
        rl.warn(`temperature-alarm:${stream.name}`, "sample without a value for the alarm channel", { stream: stream.name, channel: channel.name, rejected });
        return;
      }
      last = v;
      evaluate(record.t, emit);
    },
    tick(now, emit) {
      evaluate(now, emit);
    },
  };
}
