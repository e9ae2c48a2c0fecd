// Where edge-agent lives on a device. Every path is absolute on the device and resolved under --root.
import { join } from "node:path";

export const layout = {
  user: "edge-agent",
  /** Supplementary groups: GPIO sysfs/chardev, /dev/i2c-*, serial ports (the Raspberry Pi OS group names). */
  groups: ["gpio", "i2c", "dialout"],
  programDir: "/opt/edge-agent",
  configDir: "/etc/edge-agent",
  configFile: "/etc/edge-agent/config.yaml",
  dataDir: "/var/lib/edge-agent",
  unitName: "edge-agent.service",
  unitFile: "/etc/systemd/system/edge-agent.service",
  wantsLink: "/etc/systemd/system/multi-user.target.wants/edge-agent.service",
  defaultNode: "/usr/bin/node",
  nologin: "/usr/sbin/nologin",
} as const;

/** The host path of a device path inside the root being installed into. */
export function under(root: string, devicePath: string): string {
  return join(root, devicePath);
}

export function isLiveRoot(root: string): boolean {
  return join(root, "/") === "/";
}
