import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { defaultGatewayId, machineIdHash, piSerial } from "../../agent/service/gateway-id.js";

const roots: string[] = [];
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "edge-gwid-"));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const MID = "0123456789abcdef0123456789abcdef";

describe("defaultGatewayId", () => {
  it("prefers the Raspberry Pi serial from the device tree (NUL-terminated) over machine-id", () => {
    const root = fakeRoot({ "sys/firmware/devicetree/base/serial-number": "10000000ABCDEF01\0", "etc/machine-id": `${MID}\n` });
    expect(defaultGatewayId(root)).toBe("rpi-10000000abcdef01");
  });

  it("reads the serial from /proc/cpuinfo when the device tree has none", () => {
    const cpuinfo = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n\nHardware\t: BCM2835\nRevision\t: a02082\nSerial\t\t: 00000000c0ffee42\nModel\t\t: Raspberry Pi 3 Model B Rev 1.2\n";
    expect(piSerial(fakeRoot({ "proc/cpuinfo": cpuinfo }))).toBe("00000000c0ffee42");
  });

  it("ignores an all-zero serial (non-Pi boards print one) and falls back to a hash of machine-id", () => {
    const root = fakeRoot({ "proc/cpuinfo": "Serial\t\t: 0000000000000000\n", "etc/machine-id": `${MID}\n` });
    const id = defaultGatewayId(root);
    expect(id).toMatch(/^mid-[0-9a-f]{16}$/);
    expect(id).not.toContain(MID.slice(0, 16)); // machine-id(5): never published as is
    expect(defaultGatewayId(root)).toBe(id); // stable
    expect(machineIdHash(fakeRoot({ "etc/machine-id": "fedcba9876543210fedcba9876543210\n" }))).not.toBe(id.slice(4));
  });

  it("does not take the image's placeholder machine-id, and ends at the hostname", () => {
    const root = fakeRoot({ "etc/machine-id": "uninitialized\n" });
    expect(machineIdHash(root)).toBeUndefined();
    expect(defaultGatewayId(root)).toBe(`host-${hostname().replace(/[^A-Za-z0-9_.-]/g, "_")}`);
  });

  it("gives ids the config schema accepts as gateway.id", async () => {
    const { gatewayConfig } = await import("../../config/schema/index.js");
    const root = fakeRoot({ "etc/machine-id": MID });
    expect(gatewayConfig.safeParse({ id: defaultGatewayId(root) }).success).toBe(true);
  });
});
