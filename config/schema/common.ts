// Building blocks shared by the config schema sections.
import { z } from "zod";

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** 7-bit I2C address outside the reserved ranges (I2C spec: 0x00-0x02 and 0x78-0x7F are reserved). */
export const i2cAddress = z
  .number({ error: (i) => `expected an integer 0x03-0x77, got ${show(i.input)}` })
  .check(
    z.refine((v) => Number.isInteger(v) && v >= 0x03 && v <= 0x77, {
      error: (i) => `expected an integer 0x03-0x77, got ${Number.isInteger(i.input) ? "0x" + (i.input as number).toString(16) : show(i.input)}`,
    }),
  );

export const positiveInt = z.number().int().positive();
export const durationMs = z.number().int().min(0);

/** Stream names become MQTT topic levels: no wildcards, no empty levels, no leading slash. */
export const streamName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected levels of letters, digits, '_', '.', '-' separated by '/'");

/**
 * A secret is never written inline: it names an environment variable or a file (systemd credentials, a mounted
 * secret). The loader resolves it and reports a missing one with the field's path.
 */
export const secretRef = z.union([
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
], { error: "expected { env: NAME } or { file: PATH } (secrets are never written inline)" });
export type SecretRef = z.infer<typeof secretRef>;

export const priorityName = z.enum(["event", "alarm", "status", "features", "periodic", "waveform"]);
