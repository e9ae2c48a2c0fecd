// The real implementation of each part the runtime composes. One table: a new sensor or processor type is added here.
import type { ProcessorConfig, StreamConfig } from "../../config/schema/index.js";
import { readSecret } from "../../config/load.js";
import { StreamBatcher } from "../codec/batcher.js";
import { restampFrame } from "../codec/restamp.js";
import { createDoorProcessor } from "../pipeline/door.js";
import {
  createSensorFaultProcessor,
  createTemperatureAlarmProcessor,
  createVibrationProcessor,
} from "../analytics/processors.js";
import type { StreamInfo } from "../model.js";
import type { Processor, Source } from "../pipeline/stages.js";
import { createDoorSource } from "../sources/door.js";
import { createI2cSource } from "../sources/i2c.js";
import { createModbusSource } from "../sources/modbus.js";
import { openFrameStore } from "../store/frame-store.js";
import type { FrameStore } from "../store/frame-store-types.js";
import { MqttUplink } from "../uplink/mqtt-uplink.js";
import { defaultGatewayId } from "../service/gateway-id.js";
import { createServiceNotifier } from "../service/systemd.js";
import type { AgentDeps } from "./agent.js";
import type { RuntimeContext } from "./context.js";

type SourceFactory = (stream: StreamConfig, ctx: RuntimeContext) => Source;

const sourceBySensor: Record<StreamConfig["sensor"]["type"], SourceFactory> = {
  sht3x: createI2cSource,
  sht4x: createI2cSource,
  tmp102: createI2cSource,
  mcp9808: createI2cSource,
  bme280: createI2cSource,
  adxl345: createI2cSource,
  lis3dh: createI2cSource,
  mpu6050: createI2cSource,
  "gpio-door": createDoorSource,
  modbus: createModbusSource,
};

function createProcessor(cfg: ProcessorConfig, stream: StreamInfo, ctx: RuntimeContext): Processor {
  switch (cfg.type) {
    case "door":
      return createDoorProcessor(cfg, stream, ctx);
    case "temperature-alarm":
      return createTemperatureAlarmProcessor(cfg, stream, ctx);
    case "sensor-fault":
      return createSensorFaultProcessor(cfg, stream, ctx);
    case "vibration":
      return createVibrationProcessor(cfg, stream, ctx);
  }
}

export function defaultDeps(): AgentDeps {
  return {
    createSource: (stream, ctx) => sourceBySensor[stream.sensor.type](stream, ctx),
    createProcessor,
    createBatcher: (stream, opts, nextSeq) => new StreamBatcher(stream, opts, nextSeq),
    openStore: (opts) => openFrameStore(opts),
    // The store handed back here is the one openStore made.
    createUplink: (opts) => new MqttUplink({ ...opts, store: opts.store as FrameStore, resolveSecret: readSecret }),
    restampFrame,
    defaultGatewayId: () => defaultGatewayId(),
    notifier: (log) => createServiceNotifier(log),
  };
}
