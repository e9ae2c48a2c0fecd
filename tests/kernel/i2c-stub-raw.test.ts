// i2c-bus itself against a real kernel: the ioctl paths and SMBus transfer types the drivers depend on.
import { describe, expect, it, beforeAll } from "vitest";
import i2c from "i2c-bus";
import { clearChip, stubAddresses, stubBusNumber } from "./support/i2c-stub.js";

const ADDR = 0x48;
let busNo: number;

beforeAll(async () => {
  busNo = stubBusNumber();
  await clearChip(busNo, ADDR);
});

describe("i2c-bus over /dev/i2c-N against i2c-stub", () => {
  it("the stub's adapter has a /dev node and answers exactly at the configured addresses", async () => {
    const bus = await i2c.openPromisified(busNo);
    try {
      const found = await bus.scan(0x03, 0x77);
      expect(found.sort((a: number, b: number) => a - b)).toEqual(stubAddresses().sort((a, b) => a - b));
    } finally {
      await bus.close();
    }
  });

  it("reports the SMBus functionality i2c-stub has and not plain I2C (so SHT3x/SHT4x stay on the emulator)", async () => {
    const bus = await i2c.openPromisified(busNo);
    try {
      const f = await bus.i2cFuncs();
      expect(f.smbusReadByte && f.smbusWriteByte && f.smbusReadWord && f.smbusWriteWord && f.smbusReadI2cBlock).toBe(true);
      expect(f.i2c).toBe(false);
    } finally {
      await bus.close();
    }
  });

  it("byte, word and I2C-block transfers round-trip with SMBus byte order (low byte first)", async () => {
    const bus = await i2c.openPromisified(busNo);
    try {
      await bus.writeByte(ADDR, 0x10, 0xa5);
      expect(await bus.readByte(ADDR, 0x10)).toBe(0xa5);
      await bus.writeWord(ADDR, 0x20, 0x1234);
      expect(await bus.readWord(ADDR, 0x20)).toBe(0x1234);
      expect(await bus.readByte(ADDR, 0x20)).toBe(0x34);
      await bus.writeI2cBlock(ADDR, 0x30, 4, Buffer.from([1, 2, 3, 4]));
      const buf = Buffer.alloc(4);
      const { bytesRead } = await bus.readI2cBlock(ADDR, 0x30, 4, buf);
      expect(bytesRead).toBe(4);
      expect([...buf]).toEqual([1, 2, 3, 4]);
    } finally {
      await bus.close();
    }
  });

  // i2c-stub answers an absent address with ENODEV where controllers such as i2c-bcm2835 say EREMOTEIO.
  it("an address with no device fails with an errno from the kernel, never a crash", async () => {
    const bus = await i2c.openPromisified(busNo);
    try {
      const err = (await bus.readByte(0x2a, 0).catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect(err).toBeInstanceOf(Error);
      expect(["ENODEV", "ENXIO", "EREMOTEIO"]).toContain(err.code);
    } finally {
      await bus.close();
    }
  });

  it("plain I2C transfers are refused by the stub with an errno, never a crash", async () => {
    const bus = await i2c.openPromisified(busNo);
    try {
      const err = (await bus.i2cRead(ADDR, 2, Buffer.alloc(2)).catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toMatch(/^E/);
    } finally {
      await bus.close();
    }
  });
});
