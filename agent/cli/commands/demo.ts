import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadConfig } from "../../../config/load.js";
import { startEmbeddedBroker } from "../../demo/broker.js";
import { startScenario } from "../../demo/scenario.js";
import { renderView } from "../../demo/view.js";
import type { RunningAgent } from "../../runtime/agent.js";
import { defaultDeps } from "../../runtime/default-deps.js";
import { runAgentProcess } from "../../runtime/process.js";
import type { Command } from "../main.js";
import { packageRoot } from "../../package-root.js";


export const command: Command = {
  summary: "run the agent on simulated hardware (a cold room and a motor) with an embedded MQTT broker",
  usage: "edge-agent demo [--port N] [--data-dir DIR] [--no-view]",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: "string", default: "1883" }, "data-dir": { type: "string" }, "no-view": { type: "boolean", default: false } },
      strict: true,
    });
    const config = loadConfig(join(packageRoot(), "config", "demo.yaml"));
    const broker = await startEmbeddedBroker(Number(values.port));
    const dataDir = values["data-dir"] ?? mkdtempSync(join(tmpdir(), "edge-agent-demo-"));
    config.gateway.dataDir = dataDir;
    config.uplink.brokers = [{ url: `mqtt://127.0.0.1:${broker.port}` }];
    const prefix = `${config.uplink.topicPrefix}/${config.gateway.id}`;
    const view = !values["no-view"] && process.stdout.isTTY === true;

    // In the live view, logs go to a ring shown under the table; otherwise JSON lines on stdout.
    const recentLog: string[] = [];
    const ring = new Writable({
      write(chunk, _enc, cb) {
        try {
          const o = JSON.parse(String(chunk));
          const extra = Object.entries(o)
            .filter(([k]) => !["level", "time", "msg", "pid", "hostname"].includes(k))
            .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
            .join(" ");
          recentLog.push(`${new Date(o.time).toISOString().slice(11, 19)} ${o.msg} ${extra}`.slice(0, 150));
          if (recentLog.length > 50) recentLog.splice(0, recentLog.length - 50);
        } catch {
          /* not a log line */
        }
        cb();
      },
    });
    const log = view ? pino({ level: "info" }, ring) : pino({ level: "info", base: undefined }, pino.destination({ dest: 1, sync: true }));

    const header = [
      `edge-agent demo: gateway "${config.gateway.id}", simulated cold room and motor, embedded broker on 127.0.0.1:${broker.port} (MQTT 3.1.1)`,
      `Watch the traffic:  mosquitto_sub -h 127.0.0.1 -p ${broker.port} -t '${config.uplink.topicPrefix}/#' -v`,
      `Data directory: ${dataDir}    Ctrl-C to stop.`,
    ];
    if (!view) for (const l of header) console.log(l);

    let stopScenario = () => {};
    let redraw: NodeJS.Timeout | undefined;
    const streamOfTopic = (topic: string) => {
      if (!topic.startsWith(`${prefix}/`)) return undefined;
      const rest = topic.slice(prefix.length + 1).split("/");
      // <stream levels...>/<kind>: the last level names the message kind (docs/mqtt.md).
      return rest.length > 1 ? rest.slice(0, -1).join("/") : undefined;
    };
    const onStart = (agent: RunningAgent) => {
      stopScenario();
      stopScenario = startScenario(agent, {
        doorStream: "coldroom-1/door",
        i2cBus: "sim-i2c",
        sht3xAddress: 0x44,
        accelAddress: 0x68,
        shaftRpm: 1796,
        closedS: [25, 60],
        openS: [5, 30],
      });
      if (view) {
        if (redraw) clearInterval(redraw);
        redraw = setInterval(() => {
          process.stdout.write("\x1b[H\x1b[2J" + renderView({ agent, received: broker.received, streamOfTopic, recentLog, header }) + "\n");
        }, 1000);
      }
    };
    const code = await runAgentProcess(config, {
      log,
      deps: defaultDeps(),
      onStart,
      onStop: async () => {
        stopScenario();
        if (redraw) clearInterval(redraw);
        await broker.close();
        if (!values["data-dir"]) rmSync(dataDir, { recursive: true, force: true });
      },
    });
    if (view) process.stdout.write("\n");
    console.log(`edge-agent demo: stopped (exit ${code})`);
    return code;
  },
};
