// The default gateway id: stable across reboots and reflashes where the hardware allows, unique per device.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

function readText(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, path), "utf8");
  } catch {
    return undefined;
  }
}

/** The Raspberry Pi's SoC serial: fixed in hardware, so it survives reflashing the SD card. */
export function piSerial(root = "/"): string | undefined {
  // The device tree property is a NUL-terminated string; /proc/cpuinfo has it on "Serial : ..." (32-bit kernels
  // and older firmware lack the device tree one).
  const dt = readText(root, "sys/firmware/devicetree/base/serial-number")?.replace(/\0/g, "").trim();
  const cpuinfo = readText(root, "proc/cpuinfo")?.match(/^Serial\s*:\s*([0-9a-fA-F]+)\s*$/m)?.[1];
  for (const s of [dt, cpuinfo]) {
    if (s && /^[0-9a-fA-F]{8,}$/.test(s) && !/^0+$/.test(s)) return s.toLowerCase();
  }
  return undefined;
}

/**
 * /etc/machine-id is created on first boot (an image holds it empty or "uninitialized"), so it is read at run
 * time, never baked in at install. machine-id(5) asks applications not to expose it: we publish a hash keyed
 * by our own name, as sd_id128_get_machine_app_specific() does in spirit.
 */
export function machineIdHash(root = "/"): string | undefined {
  for (const p of ["etc/machine-id", "var/lib/dbus/machine-id"]) {
    const id = readText(root, p)?.trim();
    if (id && /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id)) {
      return createHash("sha256").update(`edge-agent:${id}`).digest("hex").slice(0, 16);
    }
  }
  return undefined;
}

/** `rpi-<serial>` on a Raspberry Pi, else `mid-<hash of machine-id>`, else `host-<hostname>`. */
export function defaultGatewayId(root = "/"): string {
  const serial = piSerial(root);
  if (serial) return `rpi-${serial}`;
  const mid = machineIdHash(root);
  if (mid) return `mid-${mid}`;
  return `host-${hostname().replace(/[^A-Za-z0-9_.-]/g, "_") || "unknown"}`;
}
