// Turns a valid config into a running agent: clock, sources, processors, batchers, store and uplink, wired once here.
import { mkdirSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { AGENT_STREAM, type AgentConfig, type CodecOptions, type ProcessorConfig, type StreamConfig } from "../../config/schema/index.js";
import { AgentClock, systemClockSources, type ClockChange, type ClockSources } from "../clock.js";
import type { Logger } from "../log.js";
import type { ServiceNotifier } from "../service/systemd.js";
import { Priority, type StreamInfo } from "../model.js";
import type { Frame } from "../pipeline/frame.js";
import { RoomState } from "../pipeline/room-state.js";
import type { Processor, Source } from "../pipeline/stages.js";
import { BatcherSink, type FrameBatcher, type FrameSink } from "./batcher-sink.js";
import type { RuntimeContext } from "./context.js";
import { Pipeline } from "./pipeline.js";

export { AGENT_STREAM };

export interface StoreLike extends FrameSink {
  close(): void;
  stats(): object;
  /** Rewrites stored frames in place; `fn` returns new bytes, or null to keep the frame as it is. */
  restampUntrusted?(fn: (bytes: Uint8Array, frame: { stream: string; seq: number }) => Uint8Array | null): number;
}

export interface UplinkLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): object;
}


/** The parts the runtime composes; the defaults are the real ones (default-deps.ts), tests may swap any. */
export interface AgentDeps {
  createSource(stream: StreamConfig, ctx: RuntimeContext): Source;
  createProcessor(cfg: ProcessorConfig, stream: StreamInfo, ctx: RuntimeContext): Processor;
  createBatcher(stream: StreamInfo, opts: CodecOptions, nextSeq: () => number): FrameBatcher;
  openStore(opts: AgentConfig["store"] & { log: Logger; gatewayId: string }): StoreLike;
  createUplink(opts: { config: AgentConfig["uplink"]; gatewayId: string; store: StoreLike; log: Logger }): UplinkLike;
  restampFrame(bytes: Uint8Array, deltaMs: number): Uint8Array;
  defaultGatewayId(): string;
  notifier?(log: Logger): ServiceNotifier;
}

export interface StartOptions {
  log: Logger;
  deps: AgentDeps;
  clockSources?: ClockSources;
  /** Called for every frame handed to the store (the demo's live view). */
  onFrame?: (frame: Frame) => void;
  /** Leave the uplink out (tests of the pipeline and store alone). */
  noUplink?: boolean;
}

export interface RunningAgent {
  readonly config: AgentConfig;
  readonly gatewayId: string;
  readonly pipeline: Pipeline;
  readonly sink: BatcherSink;
  readonly store: StoreLike;
  readonly uplink: UplinkLike | undefined;
  readonly clock: AgentClock;
  readonly ctx: RuntimeContext;
  /** Healthy: the pipeline ticks and the store accepts writes. The watchdog is fed only while this holds. */
  healthy(): boolean;
  /** Asks every processor that keeps raw data back (vibration) to send its next window raw; returns how many. */
  requestSnapshots(): number;
  stop(): Promise<void>;
}

/**
 * A vibration processor with `rpmFrom` takes the shaft speed from another stream (a Modbus register, a tachometer):
 * a tap at the end of that stream's chain hands it the physical value of the stream's first channel.
 */
function wireShaftSpeed(config: AgentConfig, sourceStreams: StreamInfo[], processors: Map<string, Processor[]>): void {
  for (const s of config.streams.filter((x) => x.enabled)) {
    s.processors.forEach((p, i) => {
      if (p.type !== "vibration" || !p.rpmFrom) return;
      const vib = processors.get(s.name)?.[i] as (Processor & { setShaftRpm?(rpm: number): void }) | undefined;
      const from = sourceStreams.find((x) => x.name === p.rpmFrom!.stream);
      if (!vib?.setShaftRpm || !from) throw new Error(`streams "${s.name}": rpmFrom names "${p.rpmFrom.stream}", which is not a running stream`);
      const ch = from.channels[0];
      const tap: Processor = {
        id: `shaft-speed:${from.name}->${s.name}`,
        streams: [],
        process(r, emit) {
          if (r.kind === "sample" && r.stream === from.name && r.values.length > 0) {
            const rpm = r.values[0] * ch.scale + ch.offset;
            if (Number.isFinite(rpm) && rpm > 0) vib.setShaftRpm!(rpm);
          }
          emit(r);
        },
      };
      processors.set(from.name, [...(processors.get(from.name) ?? []), tap]);
    });
  }
}

/** Samples per frame for derived periodic streams (vibration features: one sample per window). */
const DERIVED_BATCH = 60;

/**
 * Codec options per stream: a configured stream's own; a derived stream (features, alarms, diagnosis) takes its
 * parent's age limit and header form, never its parent's maxError (other units), and frames of at most DERIVED_BATCH
 * samples. A stream without a configured parent (the agent's own) takes the first stream's options with a full header.
 */
function derivedCodecOptions(config: AgentConfig): (name: string) => CodecOptions {
  const own = new Map(config.streams.map((s) => [s.name, s.codec]));
  const fallback = config.streams[0].codec;
  return (name) => {
    const direct = own.get(name);
    if (direct) return direct;
    let parent: CodecOptions = { ...fallback, header: "full" };
    for (let n = name; n.includes("/"); ) {
      n = n.slice(0, n.lastIndexOf("/"));
      const c = own.get(n);
      if (c) {
        parent = c;
        break;
      }
    }
    return { ...parent, maxError: undefined, batch: Math.min(parent.batch, DERIVED_BATCH) };
  };
}

/** The config's priority override and group apply to the stream a source declares under the configured name. */
function withConfig(s: StreamConfig, info: StreamInfo): StreamInfo {
  return { ...info, priority: s.priority ? Priority[s.priority] : info.priority, group: info.group ?? s.group };
}

export async function startAgent(config: AgentConfig, opts: StartOptions): Promise<RunningAgent> {
  const { deps } = opts;
  const log = opts.log;
  const gatewayId = config.gateway.id ?? deps.defaultGatewayId();
  const dataDir = isAbsolute(config.gateway.dataDir) ? config.gateway.dataDir : resolve(config.gateway.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const clock = new AgentClock(opts.clockSources ?? systemClockSources(config.clock.syncFlagFile), config.clock);
  if (!clock.trusted) log.warn({ syncFlagFile: config.clock.syncFlagFile }, "wall clock not yet synchronised: samples are flagged until it is");

  const closers: (() => Promise<void> | void)[] = [];
  const ctx: RuntimeContext = {
    config,
    log,
    now: clock.now,
    rooms: new RoomState(),
    gatewayId,
    dataDir,
    shared: new Map(),
    onClose: (fn) => closers.push(fn),
  };

  const sources: Source[] = [];
  const sourceStreams: StreamInfo[] = [];
  const processors = new Map<string, Processor[]>();
  for (const s of config.streams.filter((x) => x.enabled)) {
    const source = deps.createSource(s, ctx);
    const own = source.streams.map((info) => (info.name === s.name ? withConfig(s, info) : info));
    sources.push(source);
    sourceStreams.push(...own);
    const info = own.find((i) => i.name === s.name) ?? own[0];
    processors.set(s.name, s.processors.map((p) => deps.createProcessor(p, info, ctx)));
  }

  wireShaftSpeed(config, sourceStreams, processors);

  const agentStream: StreamInfo = { name: AGENT_STREAM, kind: "event", channels: [], priority: Priority.status };
  const allStreams = [agentStream, ...sourceStreams, ...[...processors.values()].flat().flatMap((p) => p.streams)];
  const codecOf = derivedCodecOptions(config);

  const tickMs = Math.max(100, Math.min(1000, config.store.flushIntervalMs || 1000));
  const store = deps.openStore({ ...config.store, path: isAbsolute(config.store.path) ? config.store.path : resolve(dataDir, config.store.path), log: log.child({ part: "store" }), gatewayId });
  const sink = new BatcherSink(
    allStreams,
    (info, nextSeq) => deps.createBatcher(info, codecOf(info.name), nextSeq),
    store,
    clock.now,
    opts.onFrame,
    config.store.checkpointOpenBatches ? tickMs : 0,
  );

  const pipeline = new Pipeline({ sources, processors, sink, log, clockTrusted: () => clock.trusted, now: clock.now });

  const systemEvent = (type: string, data: Record<string, unknown>) =>
    pipeline.accept({ kind: "event", stream: AGENT_STREAM, t: clock.now(), type, severity: "info", data });

  const onClock = (change: ClockChange) => {
    if (change.kind === "sync") {
      // Close every open batch of pre-sync samples, then correct the frames this run stored before sync.
      sink.tick(true);
      let restamped = 0;
      if (store.restampUntrusted) {
        restamped = store.restampUntrusted((bytes, f) => {
          const first = sink.firstSeqThisRun.get(f.stream);
          return first !== undefined && f.seq >= first ? deps.restampFrame(bytes, change.offsetMs) : null;
        });
      }
      log.info({ offsetMs: change.offsetMs, restampedFrames: restamped }, "wall clock synchronised");
      systemEvent("clock.sync", { offsetMs: change.offsetMs, restampedFrames: restamped });
    } else {
      log.warn({ stepMs: change.stepMs }, "wall clock stepped");
      systemEvent("clock.step", { stepMs: change.stepMs });
    }
  };
  clock.on("change", onClock);

  // Health is judged on the monotonic clock: an NTP step must not make a live pipeline look stalled.
  let lastTick = performance.now();
  let storeOk = true;
  const tickTimer = setInterval(() => {
    lastTick = performance.now();
    pipeline.tick();
    try {
      sink.tick();
      storeOk = true;
    } catch (e) {
      storeOk = false;
      log.error({ err: (e as Error).message }, "store commit failed");
    }
  }, tickMs);

  const clockTimer = setInterval(() => clock.check(), config.clock.checkIntervalMs);
  const statusTimer = setInterval(() => {
    systemEvent("status", { sources: pipeline.sourceStatus(), store: store.stats(), uplink: uplink?.status() });
  }, 60_000);
  tickTimer.unref?.();
  clockTimer.unref?.();
  statusTimer.unref?.();

  let uplink: UplinkLike | undefined;
  try {
    uplink = opts.noUplink ? undefined : deps.createUplink({ config: config.uplink, gatewayId, store, log: log.child({ part: "uplink" }) });
    await pipeline.start();
    systemEvent("agent.start", { gatewayId, streams: allStreams.map((s) => s.name), clockTrusted: clock.trusted });
    await uplink?.start();
  } catch (e) {
    // A half-started agent must not keep sources polling and the store open behind the caller's back.
    for (const t of [tickTimer, clockTimer, statusTimer]) clearInterval(t);
    await pipeline.stop();
    await sink.flush();
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    store.close();
    throw e;
  }
  log.info({ gatewayId, streams: allStreams.length, dataDir }, "agent running");

  let stopping: Promise<void> | undefined;
  return {
    config,
    gatewayId,
    pipeline,
    sink,
    store,
    uplink,
    clock,
    ctx,
    healthy: () => storeOk && performance.now() - lastTick < 10_000,
    requestSnapshots() {
      let n = 0;
      for (const chain of processors.values()) {
        for (const p of chain as (Processor & { requestSnapshot?(): void })[]) {
          if (p.requestSnapshot) {
            p.requestSnapshot();
            n++;
          }
        }
      }
      log.info({ processors: n }, "raw snapshot requested");
      return n;
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(tickTimer);
        clearInterval(clockTimer);
        clearInterval(statusTimer);
        clock.off("change", onClock);
        await pipeline.stop();
        await sink.flush();
        await uplink?.stop();
        for (const c of closers.reverse()) {
          try {
            await c();
          } catch (e) {
            log.warn({ err: (e as Error).message }, "close failed");
          }
        }
        store.close();
        const delivered = Object.fromEntries([...pipeline.stats.streams].map(([name, st]) => [name, { samples: st.samples, events: st.events }]));
        log.info({ delivered, frames: sink.framesOut }, "agent stopped");
      })();
      return stopping;
    },
  };
}
