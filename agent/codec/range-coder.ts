// Adaptive binary range coder (the carry-less-cache scheme LZMA uses), with 11-bit probabilities.
// Hand-written: no maintained npm package exposes a bit-level adaptive range coder; zlib/brotli/zstd bindings
// only compress whole buffers with their own models, which cannot carry our residual contexts.

const TOP = 2 ** 24;
const PROB_BITS = 11;
export const PROB_ONE = 1 << PROB_BITS;
const PROB_INIT = PROB_ONE >>> 1;
/** Trailing zero bytes the encoder may leave out; the decoder supplies them (see RangeDecoder.overrun). */
export const MAX_IMPLIED_ZEROS = 5;

/** A set of adaptive bit probabilities; `shift` is the adaptation rate (4: fast, for short frames). */
export function newProbs(n: number): Uint16Array {
  return new Uint16Array(n).fill(PROB_INIT);
}

/**
 * Counting probabilities (payload coding 2): a state packs P(bit = 0) in 15 bits above a 6-bit count of the
 * observations so far. Each observation moves P by 1/(count + 2) of the way (a frequency estimate: a cold model
 * learns from its first samples), until the count reaches RATE_LIMIT; from then on it moves by 1/(RATE_LIMIT + 2)
 * (an exponential memory that follows a changing signal).
 */
const C_BITS = 15;
const C_ONE = 1 << C_BITS;
const COUNT_BITS = 6;
const COUNT_MASK = (1 << COUNT_BITS) - 1;
export const RATE_LIMIT = 30;
const RATE = Int32Array.from({ length: COUNT_MASK + 1 }, (_, n) => Math.round(C_ONE / (Math.min(n, RATE_LIMIT) + 2)));
const NEXT = Int32Array.from({ length: COUNT_MASK + 1 }, (_, n) => Math.min(n + 1, RATE_LIMIT));

export const countingBits = {
  /** The state of a probability of a 1 of `p1` held with the confidence of `count` observations. */
  state(p1: number, count: number): number {
    const p0 = Math.max(64, Math.min(C_ONE - 64, Math.round((1 - p1) * C_ONE)));
    return (p0 << COUNT_BITS) | Math.min(count, RATE_LIMIT);
  },
};

export class RangeEncoder {
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;
  private out: Uint8Array = new Uint8Array(1024);
  private n = 0;
  private first = true;

  private put(b: number): void {
    // The first byte the scheme emits is always 0: skip it (the decoder starts one byte later).
    if (this.first) {
      this.first = false;
      return;
    }
    if (this.n === this.out.length) {
      const next = new Uint8Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    this.out[this.n++] = b;
  }

  private shiftLow(): void {
    const low = this.low;
    if (low < 0xff000000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0;
      let temp = this.cache;
      do {
        this.put((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = (low >>> 24) & 0xff;
    }
    this.cacheSize++;
    this.low = (low & 0x00ffffff) * 256;
  }

  bit(probs: Uint16Array, i: number, bit: number, shift: number): void {
    const p = probs[i];
    const bound = (this.range >>> PROB_BITS) * p;
    if (bit === 0) {
      this.range = bound;
      probs[i] = p + ((PROB_ONE - p) >> shift);
    } else {
      this.low += bound;
      this.range -= bound;
      probs[i] = p - (p >> shift);
    }
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.shiftLow();
    }
  }

  /** One bit with the counting probability `states[i]` (see countingBits). */
  counted(states: Int32Array, i: number, bit: number): void {
    const s = states[i];
    const p = s >>> COUNT_BITS;
    const n = s & COUNT_MASK;
    const bound = (this.range >>> C_BITS) * p;
    if (bit === 0) {
      this.range = bound;
      states[i] = ((p + (((C_ONE - p) * RATE[n]) >> C_BITS)) << COUNT_BITS) | NEXT[n];
    } else {
      this.low += bound;
      this.range -= bound;
      states[i] = ((p - ((p * RATE[n]) >> C_BITS)) << COUNT_BITS) | NEXT[n];
    }
    // Small enough for the JIT to inline at every call site; renormalisation (every ~8 bits) is the cold path.
    if (this.range < TOP) this.normalize();
  }

  private normalize(): void {
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.shiftLow();
    }
  }

  /** Up to 26 equiprobable bits, at most 8 per coder step (the range keeps >= 16 bits of precision). */
  direct(value: number, bits: number): void {
    while (bits > 0) {
      const k = bits > 8 ? 8 : bits;
      bits -= k;
      const r = this.range >>> k;
      this.low += ((value >>> bits) & ((1 << k) - 1)) * r;
      this.range = r;
      while (this.range < TOP) {
        this.range = (this.range << 8) >>> 0;
        this.shiftLow();
      }
    }
  }

  /** An independent copy: an encoder tries alternatives on copies and keeps the shortest. */
  clone(): RangeEncoder {
    const c = new RangeEncoder();
    c.low = this.low;
    c.range = this.range;
    c.cache = this.cache;
    c.cacheSize = this.cacheSize;
    c.out = this.out.slice(0, Math.max(this.out.length, 1024));
    c.n = this.n;
    c.first = this.first;
    return c;
  }

  /** Bits this stream would take if it ended now (to a fraction of a bit): how an encoder compares trial codings. */
  bits(): number {
    return (this.n + this.cacheSize) * 8 + 32 - Math.log2(this.range);
  }

  /** Ends the stream with as few bytes as possible: trailing zero bytes are implied (the decoder pads with zeros). */
  finish(): Uint8Array {
    // Pick the value in [low, low + range) with the most trailing zero bits, so the flushed tail is mostly zeros.
    for (let k = 32; k >= 0; k--) {
      const step = 2 ** k;
      const v = Math.ceil(this.low / step) * step;
      if (v < this.low + this.range) {
        this.low = v;
        break;
      }
    }
    for (let i = 0; i < 5; i++) this.shiftLow();
    // The decoder reads exactly as many bytes as were written, so each dropped zero is one byte it reads past the
    // payload; it takes more than MAX_IMPLIED_ZEROS as a truncated frame. A long run of zero residuals can end in
    // more zero bytes than that: keep the rest.
    let end = this.n;
    while (end > 0 && this.out[end - 1] === 0 && this.n - end < MAX_IMPLIED_ZEROS) end--;
    return this.out.slice(0, end);
  }
}

export class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.next()) >>> 0;
  }

  private next(): number {
    return this.pos < this.end ? this.buf[this.pos++] : (this.pos++, 0);
  }

  /** Bytes read beyond the payload (implied zeros); more than MAX_IMPLIED_ZEROS means the payload was too short. */
  overrun(): number {
    return Math.max(0, this.pos - this.end);
  }

  bit(probs: Uint16Array, i: number, shift: number): number {
    const p = probs[i];
    const bound = (this.range >>> PROB_BITS) * p;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((PROB_ONE - p) >> shift);
      bit = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      probs[i] = p - (p >> shift);
      bit = 1;
    }
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.next()) >>> 0;
    }
    return bit;
  }

  counted(states: Int32Array, i: number): number {
    const s = states[i];
    const p = s >>> COUNT_BITS;
    const n = s & COUNT_MASK;
    const bound = (this.range >>> C_BITS) * p;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      states[i] = ((p + (((C_ONE - p) * RATE[n]) >> C_BITS)) << COUNT_BITS) | NEXT[n];
      bit = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      states[i] = ((p - ((p * RATE[n]) >> C_BITS)) << COUNT_BITS) | NEXT[n];
      bit = 1;
    }
    if (this.range < TOP) this.normalize();
    return bit;
  }

  private normalize(): void {
    while (this.range < TOP) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.next()) >>> 0;
    }
  }

  direct(bits: number): number {
    let v = 0;
    while (bits > 0) {
      const k = bits > 8 ? 8 : bits;
      bits -= k;
      const r = this.range >>> k;
      let q = Math.floor(this.code / r);
      if (q > (1 << k) - 1) q = (1 << k) - 1; // only a corrupt stream lands in the unused top of the range
      this.code -= q * r;
      this.range = r;
      v = v * (1 << k) + q;
      while (this.range < TOP) {
        this.range = (this.range << 8) >>> 0;
        this.code = ((this.code << 8) | this.next()) >>> 0;
      }
    }
    return v;
  }
}
