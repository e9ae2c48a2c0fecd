// A RuntimeContext for sources run inside the guest, and an awaitable collector of what they emit.
import { tmpdir } from "node:os";
import { silentLogger } from "../../../agent/log.js";
import type { PipelineRecord } from "../../../agent/model.js";
import { RoomState } from "../../../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../../../agent/runtime/context.js";
import type { AgentConfig } from "../../../config/schema/index.js";

export function guestContext(): RuntimeContext {
  return {
    config: {} as AgentConfig,
    log: silentLogger(),
    now: Date.now,
    rooms: new RoomState(),
    gatewayId: "kernel-test",
    dataDir: tmpdir(),
    shared: new Map(),
    onClose: () => {},
  };
}

export interface DoorEvent {
  type: string;
  t: number;
  data: Record<string, unknown>;
}

export class EventCollector {
  readonly events: DoorEvent[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  readonly emit = (r: PipelineRecord): void => {
    if (r.kind !== "event") return;
    this.events.push({ type: r.type, t: r.t, data: (r.data ?? {}) as Record<string, unknown> });
    this.waiters = this.waiters.filter((w) => (this.events.length >= w.n ? (w.resolve(), false) : true));
  };

  /** Resolves once `n` events have arrived; rejects with what did arrive if they do not come in `ms`. */
  waitFor(n: number, ms = 30_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for ${n} events, got ${JSON.stringify(this.events)}`)), ms);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** Waits (bounded) until the wall clock has passed `t`: lets a debounce lockout run out without a fixed sleep. */
export async function untilClockPasses(t: number, maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() <= t) {
    if (Date.now() > deadline) throw new Error(`clock did not pass ${t}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
