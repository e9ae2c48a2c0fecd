import { describe, expect, it } from "vitest";
import { crc16Modbus, withCrc } from "../../drivers/serial/crc16.js";
import { classifyBadResponse, findResponse, readRequest } from "../../drivers/serial/rtu-frame.js";
import { decodeRegister, planReads, type RegisterSpec } from "../../drivers/serial/registers.js";
import { t35Ms } from "../../drivers/serial/rtu-timing.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("RTU framing", () => {
  it("CRC-16/MODBUS golden vectors (published request/response examples, CRC low byte first)", () => {
    expect(readRequest(1, "holding", 0x0000, 1)).toEqual(hex("01 03 00 00 00 01 84 0A"));
    expect(readRequest(1, "holding", 0x0000, 10)).toEqual(hex("01 03 00 00 00 0A C5 CD"));
    expect(readRequest(1, "holding", 0x3003, 1)).toEqual(hex("01 03 30 03 00 01 7B 0A"));
    expect(withCrc(hex("01 03 02 00 01"))).toEqual(hex("01 03 02 00 01 79 84"));
    // CRC-16/MODBUS check value for "123456789" is 0x4B37.
    expect(crc16Modbus(Buffer.from("123456789"))).toBe(0x4b37);
  });

  it("t3.5 is 3.5 character times up to 19200 baud and 1.75 ms above (Serial Line V1.02, 2.5.1.1)", () => {
    expect(t35Ms({ baudRate: 9600, dataBits: 8, parity: "none", stopBits: 1 })).toBeCloseTo(3.6458, 3);
    expect(t35Ms({ baudRate: 9600, dataBits: 8, parity: "even", stopBits: 1 })).toBeCloseTo(4.0104, 3);
    expect(t35Ms({ baudRate: 115200, dataBits: 8, parity: "none", stopBits: 1 })).toBe(1.75);
  });

  it("finds a reply after line noise, tells exceptions, other slaves, damaged, cut-off and noise apart", () => {
    const reply = withCrc(hex("05 04 04 00 2A FF FE"));
    expect(findResponse(Buffer.concat([hex("00 FF 13"), reply]), 5, 4, 2)).toEqual({ kind: "registers", registers: [42, 0xfffe] });
    expect(findResponse(withCrc(hex("05 84 02")), 5, 4, 2)).toEqual({ kind: "exception", code: 2 });
    expect(findResponse(withCrc(hex("06 04 04 00 2A FF FE")), 5, 4, 2)).toEqual({ kind: "other-slave", slave: 6 });
    const bad = Buffer.from(reply);
    bad[bad.length - 1] ^= 1;
    expect(findResponse(bad, 5, 4, 2)).toBeUndefined();
    expect(classifyBadResponse(bad, 5, 4, 2)).toBe("crc");
    expect(classifyBadResponse(reply.subarray(0, 6), 5, 4, 2)).toBe("partial");
    expect(classifyBadResponse(hex("FF 00 13 37 FE 55"), 5, 4, 2)).toBe("garbage");
    expect(() => readRequest(1, "input", 0, 126)).toThrow(RangeError);
  });
});

describe("register maps", () => {
  const r = (name: string, table: RegisterSpec["table"], address: number, type: RegisterSpec["type"], wordOrder: RegisterSpec["wordOrder"] = "big"): RegisterSpec => ({
    name, table, address, type, wordOrder, scale: 1, offset: 0, unit: "",
  });

  it("plans contiguous reads per table, reading through small gaps", () => {
    const regs = [r("a", "holding", 0, "u16"), r("b", "holding", 3, "u32"), r("c", "holding", 100, "s16"), r("d", "input", 7, "s16")];
    expect(planReads(regs)).toEqual([
      { table: "holding", address: 0, count: 5 },
      { table: "holding", address: 100, count: 1 },
      { table: "input", address: 7, count: 1 },
    ]);
  });

  it("decodes signed, unsigned and 32-bit values in both word orders", () => {
    const words = new Map([[0, 0xffff], [1, 0x0001], [2, 0x0002], [3, 0xfffe], [4, 0x0000]]);
    const w = (a: number) => words.get(a)!;
    expect(decodeRegister(r("x", "holding", 0, "s16"), w)).toBe(-1);
    expect(decodeRegister(r("x", "holding", 0, "u16"), w)).toBe(65535);
    expect(decodeRegister(r("x", "holding", 1, "u32"), w)).toBe(0x00010002);
    expect(decodeRegister(r("x", "holding", 1, "u32", "little"), w)).toBe(0x00020001);
    expect(decodeRegister(r("x", "holding", 3, "s32"), w)).toBe(-131072);
    expect(decodeRegister(r("x", "holding", 3, "s32", "little"), w)).toBe(0xfffe);
  });
});
