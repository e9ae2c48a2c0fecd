// What the runtime hands to each source and processor factory when it wires a config into a pipeline.
import type { Logger } from "../log.js";
import type { NowMs } from "../../drivers/types.js";
import type { RoomState } from "../pipeline/room-state.js";
import type { AgentConfig } from "../../config/schema/index.js";

export interface RuntimeContext {
  config: AgentConfig;
  log: Logger;
  /** Epoch milliseconds from the agent's clock: monotonic-anchored, never backwards. */
  now: NowMs;
  rooms: RoomState;
  gatewayId: string;
  /** Resolved data directory (store, state). */
  dataDir: string;
  /** Resources (buses) shared between sources; opened once, closed on shutdown. */
  shared: Map<string, unknown>;
  onClose(fn: () => Promise<void> | void): void;
}
