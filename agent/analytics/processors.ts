// The analytics processors the runtime wires from the config (one factory per processor type).
export { createVibrationProcessor, type VibrationProcessor, type SnapshotReason } from "./vibration-processor.js";
export { createTemperatureAlarmProcessor } from "./temperature-alarm.js";
export { createSensorFaultProcessor, type SensorFault } from "./sensor-fault.js";
