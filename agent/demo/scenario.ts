// What happens in the demo's cold room: the door opens now and then (sometimes too long), and the air warms while it
// is open and cools back after. The motor's bearing-fault signature is the accelerometer emulator's default.
import type { ClimateSignal } from "../../drivers/i2c/signals.js";
import { coldRoomClimate } from "../../drivers/i2c/signals.js";
import type { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import type { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import type { SimDoorControl } from "../sources/door.js";
import type { RunningAgent } from "../runtime/agent.js";

export interface ScenarioOptions {
  doorStream: string;
  i2cBus: string;
  sht3xAddress: number;
  /** Seconds between openings (uniform in the range). */
  closedS: [number, number];
  /** Seconds a door stays open (uniform in the range); above the door processor's limit it raises an alarm. */
  openS: [number, number];
}

/** Warming while open (K/s), capped, and the time constant of cooling back after close (s). */
const WARM_K_PER_S = 0.08;
const WARM_MAX_K = 6;
const COOL_TAU_S = 120;

export function startScenario(agent: RunningAgent, opts: ScenarioOptions): () => void {
  const door = agent.ctx.shared.get(`sim:gpio:${opts.doorStream}`) as SimDoorControl | undefined;
  const bus = agent.ctx.shared.get(`sim:i2c:${opts.i2cBus}`) as SimI2cBus | undefined;
  const sht = bus?.device<Sht3xSim>(opts.sht3xAddress);
  if (!door || !sht) throw new Error("demo: simulated door or SHT3x not found (is the demo config simulated?)");

  const base = coldRoomClimate({ setpoint: 4 });
  let excess = 0;
  let lastT = agent.ctx.now();
  const climate: ClimateSignal = (t) => {
    const dt = Math.max(0, (t - lastT) / 1000);
    lastT = t;
    excess = door.isOpen() ? Math.min(WARM_MAX_K, excess + WARM_K_PER_S * dt) : excess * Math.exp(-dt / COOL_TAU_S);
    const c = base(t);
    return { ...c, temperature: c.temperature + excess, humidity: Math.max(40, c.humidity - 4 * excess) };
  };
  sht.setSignal(climate);

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const between = ([lo, hi]: [number, number]) => (lo + Math.random() * (hi - lo)) * 1000;
  const next = (open: boolean) => {
    if (stopped) return;
    timer = setTimeout(() => {
      if (open) door.open();
      else door.close();
      next(!open);
    }, open ? between(opts.closedS) : between(opts.openS));
    timer.unref();
  };
  // The first opening comes soon, so a newcomer sees door events within seconds.
  timer = setTimeout(() => {
    door.open();
    next(false);
  }, 5000);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
