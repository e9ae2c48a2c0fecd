// Leading-edge debouncing with a lockout: report the first edge at once, ignore the bounce after it, and confirm
// the settled level once the line has been quiet for the lockout. A trailing debounce would delay every event.
import type { Level } from "./line.js";

export interface LevelChange {
  level: Level;
  /** Time of the edge that caused the change. */
  t: number;
  /** True when the change was found only when the line settled (a glitch or a missed edge), not on a leading edge. */
  confirmed: boolean;
}

export class LeadingEdgeDebouncer {
  private stable: Level;
  private raw: Level;
  private lastEdgeT = 0;
  private quietUntil: number | undefined;
  /** End of the last lockout that was settled: an edge stamped before it is a late report of that bounce. */
  private settledUntil = -Infinity;

  constructor(
    initial: Level,
    private readonly lockoutMs: number,
  ) {
    this.stable = initial;
    this.raw = initial;
  }

  get level(): Level {
    return this.stable;
  }

  /** When `settle` should next be called, or undefined when the line is settled. */
  get deadline(): number | undefined {
    return this.quietUntil;
  }

  /** Feeds one edge (in time order). Returns the changes to report at once: a leading edge, or none during bounce. */
  edge(level: Level, t: number): LevelChange[] {
    const out: LevelChange[] = [];
    // A lockout that has run out but was not settled yet (a late timer) settles first, in edge order.
    if (this.quietUntil !== undefined && t >= this.quietUntil) {
      const c = this.settle(t);
      if (c) out.push(c);
    }
    this.raw = level;
    this.lastEdgeT = t;
    // Edge reporters can lag (gpiomon under load delivers kernel-stamped edges late): an edge from inside a lockout
    // that was already settled belongs to that bounce, so it reopens the lockout instead of leading a new change.
    const leading = this.quietUntil === undefined && t >= this.settledUntil;
    // The lockout lasts until the line has been quiet for lockoutMs, however long the bounce goes on.
    this.quietUntil = t + this.lockoutMs;
    if (leading && level !== this.stable) {
      this.stable = level;
      out.push({ level, t, confirmed: false });
    }
    return out;
  }

  /** Call at or after `deadline`: returns a correction when the settled level differs from the reported one. */
  settle(now: number): LevelChange | null {
    if (this.quietUntil === undefined || now < this.quietUntil) return null;
    this.settledUntil = this.quietUntil;
    this.quietUntil = undefined;
    if (this.raw === this.stable) return null;
    this.stable = this.raw;
    return { level: this.raw, t: this.lastEdgeT, confirmed: true };
  }
}
