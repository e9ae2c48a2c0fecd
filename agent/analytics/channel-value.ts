// Reads one channel of a sample in its physical unit, for the alarm processors.
import type { SampleRecord, StreamInfo } from "../model.js";

export interface ChannelReader {
  index: number;
  name: string;
  unit: string;
  /** Physical value, or undefined for a sample that does not carry a finite count for the channel. */
  read(r: SampleRecord): number | undefined;
  count(r: SampleRecord): number | undefined;
}

export function channelReader(stream: StreamInfo, channel: string | undefined, who: string): ChannelReader {
  const index = channel === undefined ? 0 : stream.channels.findIndex((c) => c.name === channel);
  const info = stream.channels[index];
  if (index < 0 || !info) {
    throw new Error(`${who} on ${stream.name}: no channel "${channel ?? "(first)"}" (has ${stream.channels.map((c) => c.name).join(", ") || "none"})`);
  }
  const count = (r: SampleRecord): number | undefined => {
    const v = r.values?.[index];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  };
  return {
    index,
    name: info.name,
    unit: info.unit,
    count,
    read(r) {
      const c = count(r);
      // toPrecision drops the binary noise of count * scale (610 * 0.01 = 6.1000000000000005), which would
      // otherwise show in alarm messages and could flip a comparison at a limit.
      return c === undefined ? undefined : Number((c * info.scale + info.offset).toPrecision(12));
    },
  };
}
