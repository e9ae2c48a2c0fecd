// GPIO line emulator: programmable transitions with realistic contact bounce, chatter storms, and replay of a
// recorded log of open/close intervals. Edges carry their own timestamps, so tests can run in virtual time.
import type { NowMs } from "../types.js";
import type { GpioEdge, GpioLine, Level } from "./line.js";
import { seededRandom } from "../seeded-random.js";

export interface BounceOptions {
  /** Bounce pairs (back to the old level and forward again) after the first edge. */
  pairs?: number;
  /** All bounce lies within this many ms after the first edge (reed switches: well under 1 ms to a few ms). */
  spanMs?: number;
}

/** One interval of a recorded door log: open from `openAt` to `closeAt` (epoch ms). */
export interface OpenInterval {
  openAt: number;
  closeAt: number;
}

export { seededRandom };

/** Edges of one real transition to `level` at `t`: the leading edge, then bounce pairs within `spanMs`, ending at `level`. */
export function bounceEdges(level: Level, t: number, opts: BounceOptions = {}, rnd: () => number = Math.random): GpioEdge[] {
  const pairs = opts.pairs ?? 4;
  const span = opts.spanMs ?? 1;
  const times = Array.from({ length: pairs * 2 }, () => t + rnd() * span).sort((a, b) => a - b);
  const other: Level = level === 1 ? 0 : 1;
  return [{ level, t }, ...times.map((bt, i) => ({ level: i % 2 === 0 ? other : level, t: bt }))];
}

/** A chatter storm: edges at `rateHz` for `durationMs` starting at `t` with a change to `level`, ending at `level`. */
export function chatterEdges(level: Level, t: number, rateHz: number, durationMs: number): GpioEdge[] {
  let n = Math.floor((durationMs / 1000) * rateHz);
  if (n % 2 === 0) n--; // odd count: the last edge lands on the new level
  const other: Level = level === 1 ? 0 : 1;
  const step = 1000 / rateHz;
  return Array.from({ length: n }, (_, i) => ({ level: i % 2 === 0 ? level : other, t: t + i * step }));
}

/** Edges of a door log: `openLevel` is the physical level of an open door. Intervals must be sorted and disjoint. */
export function intervalEdges(
  intervals: OpenInterval[],
  openLevel: Level,
  opts: BounceOptions = {},
  rnd: () => number = Math.random,
): GpioEdge[] {
  const closed: Level = openLevel === 1 ? 0 : 1;
  return intervals.flatMap((iv) => [...bounceEdges(openLevel, iv.openAt, opts, rnd), ...bounceEdges(closed, iv.closeAt, opts, rnd)]);
}

export class SimGpioLine implements GpioLine {
  readonly description: string;
  private level: Level;
  private listeners: Array<(e: GpioEdge) => void> = [];
  private timers = new Set<NodeJS.Timeout>();
  private readonly rnd: () => number;
  /** Edges delivered so far (for tests and the demo's status). */
  edgesDelivered = 0;

  constructor(opts: { initial?: Level; now: NowMs; seed?: number; name?: string }) {
    this.level = opts.initial ?? 0;
    this.now = opts.now;
    this.rnd = seededRandom(opts.seed ?? 1);
    this.description = `simulated line ${opts.name ?? ""}`.trim();
  }

  private readonly now: NowMs;

  async read(): Promise<Level> {
    return this.level;
  }

  watch(onEdge: (edge: GpioEdge) => void): void {
    this.listeners.push(onEdge);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.listeners = [];
  }

  /** Delivers one edge now (synchronously), stamped `t`. */
  edge(level: Level, t: number = this.now()): void {
    this.level = level;
    this.edgesDelivered++;
    for (const l of this.listeners) l({ level, t });
  }

  /** Delivers a list of edges synchronously, in order. */
  edges(list: GpioEdge[]): void {
    for (const e of list) this.edge(e.level, e.t);
  }

  /** A real transition with contact bounce, delivered at once with the bounce's timestamps (within ~1 ms). */
  transition(level: Level, opts: BounceOptions = {}, t: number = this.now()): GpioEdge[] {
    const list = bounceEdges(level, t, opts, this.rnd);
    this.edges(list);
    return list;
  }

  /** Plays edges in real time: each is delivered when the clock reaches its timestamp. Resolves after the last. */
  play(list: GpioEdge[]): Promise<void> {
    return new Promise((resolve) => {
      if (list.length === 0) return resolve();
      let i = 0;
      const next = () => {
        while (i < list.length && list[i].t <= this.now()) {
          const e = list[i++];
          this.edge(e.level, e.t);
        }
        if (i >= list.length) return resolve();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          next();
        }, Math.max(0, list[i].t - this.now()));
        this.timers.add(timer);
      };
      next();
    });
  }

  /** Replays a recorded door log in real time, with bounce at every transition. */
  replay(intervals: OpenInterval[], openLevel: Level, opts: BounceOptions = {}): Promise<void> {
    return this.play(intervalEdges(intervals, openLevel, opts, this.rnd));
  }
}
