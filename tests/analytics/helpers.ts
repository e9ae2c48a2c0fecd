// Signals with known answers and a runtime context for the analytics tests.
import { silentLogger } from "../../agent/log.js";
import type { PipelineRecord } from "../../agent/model.js";
import { RoomState } from "../../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../../agent/runtime/context.js";
import type { AgentConfig } from "../../config/schema/index.js";
import type { BearingGeometry } from "../../agent/analytics/bearing.js";
import { seededRandom } from "../../drivers/seeded-random.js";

export const SKF_6205: BearingGeometry = { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537, contactAngleDeg: 0 };

export const prng = seededRandom;

export function gaussian(n: number, sigma: number, seed = 1): Float64Array {
  const r = prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = sigma * Math.sqrt(-2 * Math.log(u));
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function sine(n: number, rateHz: number, hz: number, amp: number, phase = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / rateHz + phase);
  return out;
}

/**
 * A defective bearing: an impact every 1/defectHz seconds rings a structural resonance (decaying sine), optionally
 * amplitude-modulated at the shaft rate (an inner-race defect passes in and out of the load zone), in noise.
 */
export function impactTrain(opts: {
  n: number;
  rateHz: number;
  defectHz: number;
  resonanceHz?: number;
  impactG?: number;
  noiseG?: number;
  modulationHz?: number;
  seed?: number;
  /** Index of the first sample in a longer signal, so that consecutive pieces continue the same impact train. */
  from?: number;
}): Float64Array {
  const { n, rateHz, defectHz, resonanceHz = 4000, impactG = 1, noiseG = 0.05, modulationHz, seed = 7, from = 0 } = opts;
  const x = gaussian(n, noiseG, seed);
  const decay = 0.0008 * rateHz;
  const ring = Math.ceil(decay * 8);
  // Impacts that struck before this piece still ring into it.
  for (let k = Math.max(0, Math.floor(((from - ring) / rateHz) * defectHz)); ; k++) {
    const t = k / defectHz;
    const start = Math.round(t * rateHz) - from;
    if (start >= n) break;
    const a = impactG * (modulationHz ? 0.6 + 0.4 * Math.cos(2 * Math.PI * modulationHz * t) : 1);
    for (let j = Math.max(0, -start); j < ring && start + j < n; j++) x[start + j] += a * Math.exp(-j / decay) * Math.sin((2 * Math.PI * resonanceHz * j) / rateHz);
  }
  return x;
}

export function testContext(overrides: Partial<RuntimeContext> = {}): RuntimeContext & { rooms: RoomState } {
  return {
    config: {} as AgentConfig,
    log: silentLogger(),
    now: () => 0,
    rooms: new RoomState(),
    gatewayId: "test",
    dataDir: "/nonexistent",
    shared: new Map(),
    onClose: () => {},
    ...overrides,
  } as RuntimeContext & { rooms: RoomState };
}

export function collector(): { records: PipelineRecord[]; emit: (r: PipelineRecord) => void } {
  const records: PipelineRecord[] = [];
  return { records, emit: (r) => records.push(r) };
}
