// Bit-packed streams, most significant bit first (the order FLAC and most bit formats use): a writer with a byte
// accumulator and a reader with a 32-bit window, so a Rice code's unary part is one Math.clz32.
import { FrameError } from "./errors.js";

const CHUNK = 24;

export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private acc = 0; // fewer than 8 pending bits, right-aligned
  private n = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** The low `bits` (0-24) bits of `v`. */
  write(v: number, bits: number): void {
    if (this.pos + 4 > this.buf.length) this.room(4);
    const acc = (this.acc << bits) | (v & ((1 << bits) - 1));
    let n = this.n + bits;
    while (n >= 8) {
      n -= 8;
      this.buf[this.pos++] = acc >>> n;
    }
    this.acc = acc & ((1 << n) - 1);
    this.n = n;
  }

  /** A non-negative integer of up to 53 bits (float arithmetic, for the rare wide values). */
  writeWide(v: number, bits: number): void {
    while (bits > CHUNK) {
      bits -= CHUNK;
      this.write(Math.floor(v / 2 ** bits) % 2 ** CHUNK, CHUNK);
    }
    this.write(v % 2 ** bits, bits);
  }

  /** `q` zero bits and a one (the unary part of a Rice code). */
  unary(q: number): void {
    while (q >= CHUNK) {
      this.write(0, CHUNK);
      q -= CHUNK;
    }
    this.write(1, q + 1);
  }

  /**
   * Rice codes of z[from..to) with parameter k (values below 2^28); `bits`, their exact total, reserves the room
   * once so the loop runs on locals.
   */
  rice(z: Float64Array, from: number, to: number, k: number, bits: number): void {
    this.room(Math.ceil(bits / 8) + 8);
    const buf = this.buf;
    let pos = this.pos;
    let acc = this.acc;
    let n = this.n;
    const mask = (1 << k) - 1;
    // Pending bits stay below 16 and the common code (<= 16 bits) goes out two bytes at a time. Bits above the
    // pending ones are stale but harmless: a byte store keeps only the low 8 bits of what it is given.
    for (let i = from; i < to; i++) {
      const v = z[i] | 0;
      const q = v >>> k;
      const len = q + 1 + k;
      if (len <= 16) {
        acc = (acc << len) | (1 << k) | (v & mask);
        n += len;
        if (n >= 16) {
          n -= 16;
          buf[pos] = acc >>> (n + 8);
          buf[pos + 1] = acc >>> n;
          pos += 2;
        }
        continue;
      }
      if (n >= 8) {
        n -= 8;
        buf[pos++] = acc >>> n;
      }
      if (len <= CHUNK) {
        acc = (acc << len) | (1 << k) | (v & mask);
        n += len;
        while (n >= 8) {
          n -= 8;
          buf[pos++] = acc >>> n;
        }
      } else {
        // Rare long code: through the general methods, then back to the locals.
        this.pos = pos;
        this.acc = acc & ((1 << n) - 1);
        this.n = n;
        this.unary(q);
        this.writeWide(v & mask, k);
        pos = this.pos;
        acc = this.acc;
        n = this.n;
      }
    }
    if (n >= 8) {
      n -= 8;
      buf[pos++] = acc >>> n;
    }
    this.pos = pos;
    this.acc = acc & ((1 << n) - 1);
    this.n = n;
  }

  /** Pads the last byte with zero bits and returns the bytes. */
  finish(): Uint8Array {
    if (this.n > 0) this.write(0, 8 - this.n);
    return this.buf.slice(0, this.pos);
  }
}

/** The state is public for the fused decoding loops of lpc-kernels.ts, which keep it in locals. */
export class BitReader {
  pos: number;
  /** Up to 32 unread bits, left-aligned, kept as an int32 (a small integer to V8, never a heap number). */
  win = 0;
  avail = 0;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** Tops the window up to more than 24 bits; past the end it reads zeros, which `need` and `close` catch. */
  private fill(): void {
    while (this.avail <= 24) {
      const b = this.pos < this.end ? this.buf[this.pos] : 0;
      this.pos++;
      this.win |= b << (24 - this.avail);
      this.avail += 8;
    }
  }

  /** Bits read so far that lie past the end of the payload. */
  private overrun(): number {
    return (this.pos - this.end) * 8 - this.avail;
  }

  need(what: string): void {
    if (this.overrun() > 0) throw new FrameError(`truncated frame: ${what} runs past the end of the payload`);
  }

  /** `bits` (0-24) bits as an unsigned integer. */
  read(bits: number, what: string): number {
    if (bits === 0) return 0;
    if (this.avail < bits) this.fill();
    const v = this.win >>> (32 - bits);
    this.win <<= bits;
    this.avail -= bits;
    this.need(what);
    return v;
  }

  readWide(bits: number, what: string): number {
    let v = 0;
    while (bits > CHUNK) {
      bits -= CHUNK;
      v = v * 2 ** CHUNK + this.read(CHUNK, what);
    }
    return v * 2 ** bits + this.read(bits, what);
  }

  readSigned(bits: number, what: string): number {
    const v = this.read(bits, what);
    return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
  }

  /** One Rice code, whatever its length: the unary run may span many windows; past the end is truncation. */
  riceCode(k: number, qmax: number): number {
    let q = 0;
    for (;;) {
      this.fill();
      const lz = Math.clz32(this.win);
      if (lz < this.avail) {
        q += lz;
        this.win = lz === 31 ? 0 : this.win << (lz + 1);
        this.avail -= lz + 1;
        break;
      }
      q += this.avail;
      this.win = 0;
      this.avail = 0;
      if (q > qmax || this.overrun() > 0) break;
    }
    if (q > qmax) {
      this.need("a Rice code");
      throw new FrameError(`malformed frame: Rice quotient ${q} exceeds ${qmax} for parameter ${k}`);
    }
    this.need("a Rice code");
    return (q << k) | this.readWide(k, "a Rice code");
  }

  /** Checks that the payload ends here: only zero padding bits, no byte left over. */
  close(): void {
    this.need("the payload");
    const pad = this.avail % 8;
    if (pad > 0 && this.read(pad, "padding") !== 0) throw new FrameError("malformed frame: nonzero padding bits after the samples");
    const left = this.end - this.pos + this.avail / 8;
    if (left !== 0) throw new FrameError(`malformed frame: ${left} bytes after the samples`);
  }
}
