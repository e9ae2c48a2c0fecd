// The naive baseline, the way a Node-RED flow forwards readings: one JSON message per sample, QoS 1, through
// MQTT.js, for the same emulated sensors in real time. Reports its own CPU time.
import mqtt from "mqtt";
import { TemperatureSim, VIB_RATE, VibrationSim, tempStreams, vibStream } from "./sensors.js";

const { brokerUrl, seconds, warmupS, readMs } = JSON.parse(process.argv[2]) as { brokerUrl: string; seconds: number; warmupS: number; readMs: number };
const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, clientId: "baseline" });
const vib = new VibrationSim();
const temp = new TemperatureSim();
let sent = 0;
let acked = 0;
let onAcked: (() => void) | null = null;
const pub = (topic: string, msg: object): void => {
  sent++;
  client.publish(topic, JSON.stringify(msg), { qos: 1 }, () => {
    acked++;
    if (acked === sent) onAcked?.();
  });
};
/** Publishes the sensors in real time for `secs`, then waits for every PUBACK. */
async function run(secs: number): Promise<void> {
  let dataT = Date.now();
  const end = dataT + secs * 1000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      while (dataT + readMs <= Date.now()) {
        const b = vib.block(dataT, (VIB_RATE * readMs) / 1000);
        for (let i = 0; i < b.channels[0].length; i++) {
          pub(`baseline/${vibStream.name}`, { t: dataT + (i * 1000) / VIB_RATE, x: b.channels[0][i] * 0.0039, y: b.channels[1][i] * 0.0039, z: b.channels[2][i] * 0.0039 });
        }
        if (Math.floor(dataT / 1000) !== Math.floor((dataT + readMs) / 1000)) {
          for (const r of temp.readings(dataT)) pub(`baseline/${r.stream}`, { t: r.t, value: r.values[0] * 0.01, unit: "degC" });
        }
        dataT += readMs;
      }
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, readMs);
  });
  if (acked < sent) await new Promise<void>((r) => (onAcked = r));
}
await run(warmupS);
process.stdout.write(JSON.stringify({ warmedUp: true }) + "\n");
const s0 = sent;
const c0 = process.cpuUsage();
const w0 = process.resourceUsage().voluntaryContextSwitches;
await run(seconds);
const c = process.cpuUsage(c0);
const wakeups = process.resourceUsage().voluntaryContextSwitches - w0;
process.stdout.write(JSON.stringify({ samples: sent - s0, cpuS: (c.user + c.system) / 1e6, wakeups, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, topics: tempStreams.length + 1 }) + "\n");
await client.endAsync();
process.exit(0);
