// Gorilla (Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory Time Series Database", VLDB 2015, section 4.1),
// written from the paper for the benchmark: timestamps by delta-of-delta with the paper's buckets
// ('0' | '10'+7 bits | '110'+9 bits | '1110'+12 bits | '1111'+32 bits), values as float64 XOR with the
// leading/trailing-zero window ('0' same | '10' reuse window | '11' + 5 bits leading + 6 bits length).
// The block header holds the first timestamp (64 bits), the first delta (14 bits in the paper; we widen it to
// 32 when it does not fit) and the first value (64 bits). Timestamps are in seconds, as in the paper, when every
// timestamp is a whole second; otherwise in milliseconds (then the paper's buckets fit less often).

class BitWriter {
  bytes: number[] = [];
  private cur = 0;
  private n = 0;
  bits = 0;

  write(value: number, width: number): void {
    // value < 2^32, width <= 32
    for (let i = width - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.cur);
        this.cur = 0;
        this.n = 0;
      }
    }
    this.bits += width;
  }

  finish(): Uint8Array {
    if (this.n) this.bytes.push(this.cur << (8 - this.n));
    return Uint8Array.from(this.bytes);
  }
}

class BitReader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  read(width: number): number {
    let v = 0;
    for (let i = 0; i < width; i++) {
      const bit = (this.b[this.pos >> 3] >> (7 - (this.pos & 7))) & 1;
      this.pos++;
      v = v * 2 + bit;
    }
    return v;
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // [lo, hi] on little-endian machines

function clz64(hi: number, lo: number): number {
  return hi ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
function ctz64(hi: number, lo: number): number {
  return lo ? ctz32(lo) : 32 + ctz32(hi);
}

function writeBits64(w: BitWriter, hi: number, lo: number, width: number): void {
  if (width > 32) {
    w.write(hi, width - 32);
    w.write(lo, 32);
  } else w.write(lo, width);
}

export function gorillaEncode(times: ArrayLike<number>, values: ArrayLike<number>): Uint8Array {
  const w = new BitWriter();
  const n = times.length;
  const seconds = Array.prototype.every.call(times, (t: number) => t % 1000 === 0);
  const unit = seconds ? 1000 : 1;
  w.write(seconds ? 1 : 0, 1);
  w.write(n, 32);
  if (n === 0) return w.finish();
  const t0 = times[0] / unit;
  w.write(Math.floor(t0 / 2 ** 32) >>> 0, 32);
  w.write(t0 >>> 0, 32);
  f64[0] = values[0];
  let prevHi = u32[1];
  let prevLo = u32[0];
  w.write(prevHi, 32);
  w.write(prevLo, 32);
  let prevT = t0;
  let prevDelta = 0;
  let lead = -1;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    const t = times[i] / unit;
    const delta = t - prevT;
    if (i === 1) {
      if (delta >= 0 && delta < 2 ** 14 - 1) w.write(delta, 14);
      else {
        w.write(2 ** 14 - 1, 14);
        w.write(delta >>> 0, 32);
      }
    } else {
      const dod = delta - prevDelta;
      if (dod === 0) w.write(0, 1);
      else if (dod >= -63 && dod <= 64) {
        w.write(0b10, 2);
        w.write((dod + 63) >>> 0, 7);
      } else if (dod >= -255 && dod <= 256) {
        w.write(0b110, 3);
        w.write((dod + 255) >>> 0, 9);
      } else if (dod >= -2047 && dod <= 2048) {
        w.write(0b1110, 4);
        w.write((dod + 2047) >>> 0, 12);
      } else {
        w.write(0b1111, 4);
        w.write(dod >>> 0, 32);
      }
    }
    prevDelta = delta;
    prevT = t;
    f64[0] = values[i];
    const hi = u32[1];
    const lo = u32[0];
    const xh = (hi ^ prevHi) >>> 0;
    const xl = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xh === 0 && xl === 0) {
      w.write(0, 1);
      continue;
    }
    let l = Math.min(clz64(xh, xl), 31);
    const tz = ctz64(xh, xl);
    if (lead >= 0 && l >= lead && tz >= trail) {
      w.write(0b10, 2);
      const width = 64 - lead - trail;
      const [sh, sl] = shiftRight64(xh, xl, trail);
      writeBits64(w, sh, sl, width);
    } else {
      lead = l;
      trail = tz;
      const width = 64 - l - tz;
      w.write(0b11, 2);
      w.write(l, 5);
      w.write(width - 1, 6); // 1..64 stored as 0..63
      const [sh, sl] = shiftRight64(xh, xl, tz);
      writeBits64(w, sh, sl, width);
    }
    void l;
  }
  return w.finish();
}

function shiftRight64(hi: number, lo: number, s: number): [number, number] {
  if (s === 0) return [hi, lo];
  if (s >= 32) return [0, hi >>> (s - 32)];
  return [hi >>> s, ((lo >>> s) | (hi << (32 - s))) >>> 0];
}

function shiftLeft64(hi: number, lo: number, s: number): [number, number] {
  if (s === 0) return [hi, lo];
  if (s >= 32) return [(lo << (s - 32)) >>> 0, 0];
  return [((hi << s) | (lo >>> (32 - s))) >>> 0, (lo << s) >>> 0];
}

function readBits64(r: BitReader, width: number): [number, number] {
  if (width > 32) {
    const hi = r.read(width - 32);
    return [hi, r.read(32)];
  }
  return [0, r.read(width)];
}

export function gorillaDecode(bytes: Uint8Array): { times: number[]; values: number[] } {
  const r = new BitReader(bytes);
  const unit = r.read(1) ? 1000 : 1;
  const n = r.read(32);
  const times: number[] = [];
  const values: number[] = [];
  if (n === 0) return { times, values };
  let t = r.read(32) * 2 ** 32 + r.read(32);
  let hi = r.read(32);
  let lo = r.read(32);
  u32[1] = hi;
  u32[0] = lo;
  times.push(t * unit);
  values.push(f64[0]);
  let delta = 0;
  let lead = 0;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    if (i === 1) {
      delta = r.read(14);
      if (delta === 2 ** 14 - 1) delta = r.read(32) | 0;
    } else {
      let dod: number;
      if (r.read(1) === 0) dod = 0;
      else if (r.read(1) === 0) dod = r.read(7) - 63;
      else if (r.read(1) === 0) dod = r.read(9) - 255;
      else if (r.read(1) === 0) dod = r.read(12) - 2047;
      else dod = r.read(32) | 0;
      delta += dod;
    }
    t += delta;
    times.push(t * unit);
    if (r.read(1) === 1) {
      if (r.read(1) === 1) {
        lead = r.read(5);
        const width = r.read(6) + 1;
        trail = 64 - lead - width;
      }
      const width = 64 - lead - trail;
      const [xh, xl] = shiftLeft64(...readBits64(r, width), trail);
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    u32[1] = hi;
    u32[0] = lo;
    values.push(f64[0]);
  }
  return { times, values };
}
