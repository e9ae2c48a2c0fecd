// Turns the records of one stream into frames: readings are batched (by count and age), waveform blocks become
// regular-series frames, events become a frame of their own at once. Trusted and untrusted timestamps never share
// a frame, and blocks are never stitched across a gap.
import type { CodecOptions } from "../../config/schema/index.js";
import type { BlockRecord, EventRecord, PipelineRecord, SampleRecord, StreamInfo } from "../model.js";
import type { Frame, OpenPart } from "../pipeline/frame.js";
import { encodeFrame } from "./frame.js";
import type { EncodedFrame } from "./frame-types.js";
import { batchFrameInput, encodeOpenPart, type OpenBatchHeader } from "./open-batch.js";
import { MAX_COUNT } from "./values.js";

const TIME_LIMIT = 2 ** 47;

interface OpenSamples {
  /** Reserved when the batch opens, so a checkpoint of the open batch and the closed frame share it. */
  seq: number;
  /** Samples already handed out in checkpoint parts, and how many parts. */
  checkpointed: number;
  parts: number;
  untrusted: boolean;
  times: number[];
  values: number[][];
}

interface OpenBlock {
  seq: number;
  checkpointed: number;
  parts: number;
  untrusted: boolean;
  t0: number;
  rateHz: number;
  /** One buffer per channel, grown by doubling up to the batch size; `length` samples are filled. */
  values: Int32Array[];
  length: number;
  gapBefore?: BlockRecord["gapBefore"];
}

/** First capacity of a block's buffers: a batch of a few seconds fits at once, a huge one grows as it fills. */
const BLOCK_START_CAPACITY = 16_384;

/** What a checkpoint hands the store: batches closed early (short-lived streams) and parts of long-lived ones. */
export interface BatcherCheckpoint {
  frames: Frame[];
  parts: OpenPart[];
}

export interface BatcherStats {
  /** Records dropped because they could not be encoded (wrong channel count, non-finite value). */
  rejected: number;
  lastRejection?: string;
}

export class StreamBatcher {
  private samples?: OpenSamples;
  private block?: OpenBlock;
  readonly stats: BatcherStats = { rejected: 0 };

  constructor(
    private readonly stream: StreamInfo,
    private readonly opts: CodecOptions,
    private readonly nextSeq: () => number,
  ) {}

  add(record: PipelineRecord): Frame[] {
    switch (record.kind) {
      case "sample":
        return this.addSample(record);
      case "block":
        return this.addBlock(record);
      case "event":
        return this.addEvent(record);
    }
  }

  /** Closes frames older than maxAgeMs (by their first timestamp), or every open frame with `force`. */
  flush(now: number, force = false): Frame[] {
    const out: Frame[] = [];
    if (this.samples && (force || now - this.samples.times[0] >= this.opts.maxAgeMs)) out.push(...this.closeSamples());
    if (this.block && (force || now - this.block.t0 >= this.opts.maxAgeMs)) out.push(...this.closeBlock());
    return out;
  }

  private reject(why: string): Frame[] {
    this.stats.rejected++;
    this.stats.lastRejection = why;
    return [];
  }

  private width(): number {
    return this.stream.channels.length;
  }

  private addSample(r: SampleRecord): Frame[] {
    if (r.values.length !== this.width()) return this.reject(`sample has ${r.values.length} values, stream has ${this.width()} channels`);
    if (!Number.isSafeInteger(r.t) || Math.abs(r.t) >= TIME_LIMIT) return this.reject(`sample time ${r.t} is not an integer epoch ms`);
    if (r.values.some((v) => !(Math.abs(v) < MAX_COUNT))) return this.reject("sample with a non-finite or out-of-range count");
    const out: Frame[] = [];
    const untrusted = r.untrusted === true;
    if (this.samples && this.samples.untrusted !== untrusted) out.push(...this.closeSamples());
    this.samples ??= { seq: this.nextSeq(), checkpointed: 0, parts: 0, untrusted, times: [], values: this.stream.channels.map(() => []) };
    this.samples.times.push(r.t);
    // Counts are integers by contract; a float from a misbehaving source is rounded rather than lost.
    r.values.forEach((v, c) => this.samples!.values[c].push(Math.round(v)));
    if (this.samples.times.length >= this.opts.batch) out.push(...this.closeSamples());
    return out;
  }

  private addBlock(r: BlockRecord): Frame[] {
    if (r.channels.length !== this.width()) return this.reject(`block has ${r.channels.length} channels, stream has ${this.width()}`);
    const n = r.channels[0]?.length ?? 0;
    if (r.channels.some((c) => c.length !== n)) return this.reject("block channels differ in length");
    if (!(r.rateHz > 0) || !Number.isFinite(r.rateHz) || !(Math.abs(r.t0) < TIME_LIMIT)) return this.reject("block with a bad rate or t0");
    const out: Frame[] = [];
    const untrusted = r.untrusted === true;
    const b = this.block;
    if (b) {
      const expected = b.t0 + (b.length * 1000) / b.rateHz;
      // Driver stamps jitter by a clock tick; anything further off is a discontinuity, not the next block.
      const contiguous = Math.abs(r.t0 - expected) <= 1.5 * (1000 / b.rateHz) + 1;
      if (r.gapBefore || b.untrusted !== untrusted || b.rateHz !== r.rateHz || !contiguous) out.push(...this.closeBlock());
    }
    this.block ??= this.openBlock(r, r.t0, untrusted, r.gapBefore);
    let offset = 0;
    while (offset < n) {
      const open = this.block!;
      const take = Math.min(this.opts.batch - open.length, n - offset);
      this.reserve(open, open.length + take);
      for (let c = 0; c < r.channels.length; c++) open.values[c].set(r.channels[c].subarray(offset, offset + take), open.length);
      open.length += take;
      offset += take;
      if (open.length >= this.opts.batch) {
        out.push(...this.closeBlock());
        if (offset < n) this.block = this.openBlock(r, r.t0 + (offset * 1000) / r.rateHz, untrusted);
      }
    }
    return out;
  }

  private openBlock(r: BlockRecord, t0: number, untrusted: boolean, gapBefore?: BlockRecord["gapBefore"]): OpenBlock {
    const capacity = Math.min(this.opts.batch, BLOCK_START_CAPACITY);
    const values = r.channels.map(() => new Int32Array(capacity));
    return { seq: this.nextSeq(), checkpointed: 0, parts: 0, untrusted, t0, rateHz: r.rateHz, values, length: 0, ...(gapBefore ? { gapBefore } : {}) };
  }

  private reserve(b: OpenBlock, need: number): void {
    if (need <= b.values[0].length) return;
    const capacity = Math.min(this.opts.batch, Math.max(need, b.values[0].length * 2));
    b.values = b.values.map((v) => {
      const grown = new Int32Array(capacity);
      grown.set(v.subarray(0, b.length));
      return grown;
    });
  }

  private addEvent(r: EventRecord): Frame[] {
    if (!Number.isSafeInteger(r.t) || Math.abs(r.t) >= TIME_LIMIT) return this.reject(`event time ${r.t} is not an integer epoch ms`);
    const untrusted = r.untrusted === true;
    const item = { t: r.t, type: r.type, data: r.data, ...(r.severity ? { severity: r.severity } : {}) };
    let enc: EncodedFrame;
    try {
      enc = encodeFrame({ kind: "event", stream: this.stream.name, header: this.opts.header, seq: 0, untrusted, events: [item] });
    } catch (e) {
      return this.reject(`event not encodable: ${(e as Error).message}`);
    }
    const seq = this.nextSeq();
    enc = encodeFrame({ kind: "event", stream: this.stream.name, header: this.opts.header, seq, untrusted, events: [item] });
    return [this.toFrame(enc, seq, untrusted, true)];
  }

  /**
   * Makes what the open batches hold durable with the next commit, so a power cut loses only what arrives after it.
   * A stream whose batches close by age within `horizonMs` anyway (a 1 s vibration block with a 1 s commit) has its
   * batch closed now: encoding it once, shorter, is cheaper than a checkpoint of it. A longer-lived batch gives a part
   * with the raw samples added since its previous part (nothing when none were): each sample is written once.
   */
  checkpoint(horizonMs: number): BatcherCheckpoint {
    if (this.opts.maxAgeMs <= horizonMs) return { frames: [...this.closeSamples(), ...this.closeBlock()], parts: [] };
    const parts: OpenPart[] = [];
    const s = this.samples;
    if (s && s.times.length > s.checkpointed) parts.push(this.part(s, s.times.length, s.times, s.values, () => this.samplesHeader(s)));
    const b = this.block;
    if (b && b.length > b.checkpointed) parts.push(this.part(b, b.length, undefined, b.values, () => this.blockHeader(b)));
    return { frames: [], parts };
  }

  private part(open: OpenSamples | OpenBlock, to: number, times: number[] | undefined, values: ArrayLike<number>[], header: () => OpenBatchHeader): OpenPart {
    const from = open.checkpointed;
    open.checkpointed = to;
    const part = open.parts++;
    const bytes = encodeOpenPart(part === 0 ? header() : undefined, times, values, from, to);
    return { stream: this.stream.name, seq: open.seq, part, priority: this.stream.priority, samples: to - from, bytes };
  }

  private samplesHeader(s: OpenSamples): OpenBatchHeader {
    return { channels: this.stream.channels, untrusted: s.untrusted, header: this.opts.header, ...this.boundedOptions() };
  }

  private blockHeader(b: OpenBlock): OpenBatchHeader {
    return { channels: this.stream.channels, untrusted: b.untrusted, header: this.opts.header, t0: b.t0, rateHz: b.rateHz, ...(b.gapBefore ? { gapBefore: b.gapBefore } : {}) };
  }

  private boundedOptions(): { maxError?: number; heartbeatMs?: number } {
    return this.opts.maxError !== undefined ? { maxError: this.opts.maxError, heartbeatMs: this.opts.heartbeatS * 1000 } : {};
  }

  private closeSamples(): Frame[] {
    const s = this.samples;
    this.samples = undefined;
    if (!s || s.times.length === 0) return [];
    return [this.encodeSamples(s)];
  }

  private closeBlock(): Frame[] {
    const b = this.block;
    this.block = undefined;
    if (!b || b.length === 0) return [];
    return [this.encodeBlock(b)];
  }

  private encodeSamples(s: OpenSamples): Frame {
    const enc = encodeFrame(batchFrameInput(this.stream.name, s.seq, this.samplesHeader(s), s.times, s.values));
    return this.toFrame(enc, s.seq, s.untrusted, false);
  }

  private encodeBlock(b: OpenBlock): Frame {
    const values = b.values.map((v) => v.subarray(0, b.length));
    const enc = encodeFrame(batchFrameInput(this.stream.name, b.seq, this.blockHeader(b), undefined, values));
    return this.toFrame(enc, b.seq, b.untrusted, false);
  }

  private toFrame(enc: EncodedFrame, seq: number, untrusted: boolean, urgent: boolean): Frame {
    return {
      stream: this.stream.name,
      seq,
      priority: this.stream.priority,
      bytes: enc.bytes,
      codec: enc.codec,
      samples: enc.samples,
      tFirst: enc.tFirst,
      tLast: enc.tLast,
      untrusted,
      urgent,
    };
  }
}
