// Byte-level helpers for the frame header: little-endian integers, LEB128 varints, zigzag, strings and compact decimals.
import { FrameError } from "./errors.js";

/** Zigzag on JS numbers (safe integers): 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... without 32-bit overflow. */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Signed 48-bit little-endian integer (epoch milliseconds up to +-4,400 years). */
  i48(v: number): void {
    if (!Number.isSafeInteger(v) || Math.abs(v) >= 2 ** 47) throw new RangeError(`time ${v} is not an integer within +-2^47 ms`);
    let u = v < 0 ? v + 2 ** 48 : v;
    for (let i = 0; i < 6; i++) {
      this.u8(u % 256);
      u = Math.floor(u / 256);
    }
  }

  u32(v: number): void {
    for (let i = 0; i < 4; i++) this.u8((v >>> (8 * i)) & 0xff);
  }

  f64(v: number): void {
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.length, 8).setFloat64(0, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128 for any non-negative safe integer. */
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint ${v} is not a non-negative safe integer`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }

  svarint(v: number): void {
    this.varint(zigzag(v));
  }

  str(s: string): void {
    const b = new TextEncoder().encode(s);
    this.varint(b.length);
    this.bytes(b);
  }

  /**
   * A number as m * 10^e when that is exact (0.01 -> 2 bytes, 48000 -> 2 bytes), else tag 0xFF and a float64.
   * Decimal scales are the common case and cost a fraction of a float64 in every small frame.
   */
  decimal(x: number): void {
    const d = toDecimal(x);
    if (d) {
      this.u8(d.e + 64);
      this.svarint(d.m);
    } else {
      this.u8(0xff);
      this.f64(x);
    }
  }

  patchU8(at: number, v: number): void {
    this.buf[at] = v & 0xff;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function fromDecimal(m: number, e: number): number {
  return e >= 0 ? m * 10 ** e : m / 10 ** -e;
}

function toDecimal(x: number): { m: number; e: number } | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (x === 0) return Object.is(x, -0) ? undefined : { m: 0, e: 0 };
  for (let e = 15; e >= -15; e--) {
    const m = Math.round(e >= 0 ? x / 10 ** e : x * 10 ** -e);
    if (m !== 0 && Math.abs(m) < 2 ** 40 && fromDecimal(m, e) === x) return { m, e };
  }
  return undefined;
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new FrameError(`truncated frame: ${what} runs past the end (offset ${this.pos})`);
  }

  u8(what = "byte"): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  i48(what = "time"): number {
    this.need(6, what);
    let u = 0;
    for (let i = 5; i >= 0; i--) u = u * 256 + this.buf[this.pos + i];
    this.pos += 6;
    return u >= 2 ** 47 ? u - 2 ** 48 : u;
  }

  u32(what = "u32"): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  f64(what = "float64"): number {
    this.need(8, what);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  varint(what = "varint"): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8(what);
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
      if (mul > 2 ** 49) throw new FrameError(`malformed frame: ${what} is longer than a safe integer`);
    }
    if (!Number.isSafeInteger(v)) throw new FrameError(`malformed frame: ${what} is not a safe integer`);
    return v;
  }

  svarint(what = "signed varint"): number {
    return unzigzag(this.varint(what));
  }

  str(what = "string"): string {
    const n = this.varint(`${what} length`);
    this.need(n, what);
    const bytes = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new FrameError(`malformed frame: ${what} is not valid UTF-8`);
    }
  }

  decimal(what = "decimal"): number {
    const tag = this.u8(what);
    if (tag === 0xff) return this.f64(what);
    if (tag > 127) throw new FrameError(`malformed frame: ${what} has unknown tag 0x${tag.toString(16)}`);
    return fromDecimal(this.svarint(what), tag - 64);
  }
}

