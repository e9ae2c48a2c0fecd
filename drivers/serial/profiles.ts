// Built-in device profiles: a user names the model and the slave id, the register map comes from here.
import type { RegisterSpec } from "./registers.js";

export interface DeviceProfile {
  model: string;
  description: string;
  registers: RegisterSpec[];
}

const reg = (name: string, address: number, type: RegisterSpec["type"], scale: number, unit: string): RegisterSpec => ({
  name,
  table: "holding",
  address,
  type,
  wordOrder: "big",
  scale,
  offset: 0,
  unit,
});

/**
 * The register layout of the common low-cost RS-485 three-axis vibration/temperature transmitters (IP67 puck,
 * 9600 8N1, function 0x03): velocity RMS per axis in 0.01 mm/s from holding register 0, then the case temperature
 * in 0.1 degC, signed. Layouts differ between vendors; check the device manual and add a profile when yours differs.
 */
export const VIBRATION_TRANSMITTER_3AXIS: DeviceProfile = {
  model: "vibration-transmitter-3axis",
  description: "RS-485 3-axis vibration transmitter: velocity RMS X/Y/Z (mm/s) and temperature (degC)",
  registers: [
    reg("velocity_rms_x", 0x0000, "u16", 0.01, "mm/s"),
    reg("velocity_rms_y", 0x0001, "u16", 0.01, "mm/s"),
    reg("velocity_rms_z", 0x0002, "u16", 0.01, "mm/s"),
    reg("temperature", 0x0003, "s16", 0.1, "degC"),
  ],
};

export const DEVICE_PROFILES: Readonly<Record<string, DeviceProfile>> = {
  [VIBRATION_TRANSMITTER_3AXIS.model]: VIBRATION_TRANSMITTER_3AXIS,
};
