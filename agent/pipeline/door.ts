// Door semantics on top of door.open / door.close: open duration, the door-open-too-long alarm, the room's door
// state (which suppresses its temperature alarms), and a periodic openings / open-time metric.
import type { DoorProcessorConfig } from "../../config/schema/processors-door.js";
import type { Emit, EventRecord, PipelineRecord, StreamInfo } from "../model.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { Processor } from "./stages.js";

export const DOOR_ALARM = "door-open-too-long";

export function createDoorProcessor(cfg: DoorProcessorConfig, stream: StreamInfo, ctx: RuntimeContext): Processor {
  const limitMs = cfg.openTooLongS * 1000;
  const periodMs = cfg.metricsIntervalS * 1000;
  let openAt: number | undefined;
  let alarmRaised = false;
  let periodStart: number | undefined;
  let openings = 0;
  let openMs = 0;

  const event = (t: number, type: string, data: Record<string, unknown>, severity: EventRecord["severity"] = "info"): EventRecord => ({
    kind: "event",
    stream: stream.name,
    t,
    type,
    severity,
    data,
  });

  const raise = (emit: Emit) => {
    alarmRaised = true;
    emit(event(openAt! + limitMs, "alarm.raise", { alarm: DOOR_ALARM, group: stream.group, openSince: openAt, limitS: cfg.openTooLongS }, "warning"));
  };

  /** Metric periods are aligned to the clock (whole hours for 3600 s), so gateways report comparable periods. */
  const align = (t: number) => Math.floor(t / periodMs) * periodMs;

  /** Open time of the current period, counting only the part of an opening inside it. */
  const accrue = (until: number) => {
    if (openAt !== undefined && periodStart !== undefined) openMs += Math.max(0, until - Math.max(openAt, periodStart));
  };

  const closePeriods = (now: number, emit: Emit) => {
    let start = (periodStart ??= align(now));
    while (now >= start + periodMs) {
      const end: number = start + periodMs;
      accrue(end);
      emit(
        event(end, "door.metrics", {
          periodS: cfg.metricsIntervalS,
          openings,
          openingsPerHour: (openings * 3_600_000) / periodMs,
          openTimeS: openMs / 1000,
          openNow: openAt !== undefined,
        }),
      );
      openings = 0;
      openMs = 0;
      periodStart = start = end;
    }
  };

  return {
    id: `door:${stream.name}`,
    streams: [],
    process(record: PipelineRecord, emit: Emit) {
      if (record.kind !== "event" || record.stream !== stream.name || (record.type !== "door.open" && record.type !== "door.close")) {
        emit(record);
        return;
      }
      periodStart ??= align(record.t);
      if (record.type === "door.open") {
        if (openAt === undefined) {
          openAt = record.t;
          alarmRaised = false;
          if (!record.data.initial) openings++;
          if (stream.group) ctx.rooms.setDoor(stream.group, true, record.t);
        }
        emit(record);
        return;
      }
      if (stream.group) ctx.rooms.setDoor(stream.group, false, record.t);
      if (openAt === undefined) {
        emit(record);
        return;
      }
      const durationMs = record.t - openAt;
      // The alarm does not depend on the tick cadence: a long opening always raises it, at the time it became due.
      if (!alarmRaised && durationMs >= limitMs) raise(emit);
      accrue(record.t);
      emit({ ...record, data: { ...record.data, durationMs } });
      if (alarmRaised) emit(event(record.t, "alarm.clear", { alarm: DOOR_ALARM, group: stream.group, openMs: durationMs }));
      openAt = undefined;
      alarmRaised = false;
    },
    tick(now: number, emit: Emit) {
      if (openAt !== undefined && !alarmRaised && now - openAt >= limitMs) raise(emit);
      closePeriods(now, emit);
    },
  };
}
