// What happens in the demo's cold room: the door opens now and then (sometimes too long), and the air warms while it
// is open and cools back after. The motor's bearing has an outer-race fault: impacts at BPFO ring a housing resonance.
import type { ClimateSignal } from "../../drivers/i2c/signals.js";
import { coldRoomClimate, motorVibration } from "../../drivers/i2c/signals.js";
import type { Mpu6050Sim } from "../../drivers/i2c/mpu6050.sim.js";
import type { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import type { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import type { SimDoorControl } from "../sources/door.js";
import type { RunningAgent } from "../runtime/agent.js";

export interface ScenarioOptions {
  doorStream: string;
  i2cBus: string;
  sht3xAddress: number;
  accelAddress: number;
  /** Shaft speed of the demo motor. */
  shaftRpm: number;
  /** Seconds between openings (uniform in the range). */
  closedS: [number, number];
  /** Seconds a door stays open (uniform in the range); above the door processor's limit it raises an alarm. */
  openS: [number, number];
}

/** Warming while open (K/s), capped, and the time constant of cooling back after close (s). */
const WARM_K_PER_S = 0.08;
const WARM_MAX_K = 6;
const COOL_TAU_S = 120;
/** Outer-race defect frequency of the SKF 6205 as a multiple of shaft speed (9 balls, 0.3126 in / 1.537 in, 0 deg). */
const SKF6205_BPFO_ORDER = 3.5848;

export function startScenario(agent: RunningAgent, opts: ScenarioOptions): () => void {
  const door = agent.ctx.shared.get(`sim:gpio:${opts.doorStream}`) as SimDoorControl | undefined;
  const bus = agent.ctx.shared.get(`sim:i2c:${opts.i2cBus}`) as SimI2cBus | undefined;
  const sht = bus?.device<Sht3xSim>(opts.sht3xAddress);
  const accel = bus?.device<Mpu6050Sim>(opts.accelAddress);
  if (!door || !sht || !accel) throw new Error("demo: simulated door, SHT3x or MPU-6050 not found (is the demo config simulated?)");
  // The resonance sits below the demo's Nyquist frequency (1 kHz sample rate) so the envelope analysis sees it unaliased.
  const shaftHz = opts.shaftRpm / 60;
  accel.setSignal(motorVibration({ shaftHz, faultHz: SKF6205_BPFO_ORDER * shaftHz, resonanceHz: 280, decayS: 0.006, impulseG: 0.6 }));

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
