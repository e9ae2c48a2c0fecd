// The compact stream reference of a version 2 frame: a 32-bit id computed from the stream name, so a gateway needs
// no registry and a consumer can compute it from any name it knows (the MQTT topic, its own configuration).
import { crc32 } from "./crc32.js";
import { FrameError } from "./errors.js";

/** CRC-32 (IEEE) of the UTF-8 bytes of the stream name. */
export function streamId(name: string): number {
  return crc32(new TextEncoder().encode(name));
}

/** What the decoder asks to turn a stream id back into a name. */
export interface StreamLookup {
  nameOf(id: number): string | undefined;
}

/**
 * Names of one gateway's streams by id, for decoding compact frames. Ids are unique among one gateway's streams
 * (its config is refused otherwise) but not across gateways: keep one StreamNames per gateway.
 */
export class StreamNames implements StreamLookup {
  private readonly byId = new Map<number, string>();

  constructor(names: Iterable<string> = []) {
    for (const n of names) this.add(n);
  }

  /** Adds a name; a different name with the same id is an error (two streams that one id cannot tell apart). */
  add(name: string): number {
    const id = streamId(name);
    const known = this.byId.get(id);
    if (known !== undefined && known !== name) throw new FrameError(`stream id 0x${id.toString(16).padStart(8, "0")} of "${name}" is already the id of "${known}"`);
    this.byId.set(id, name);
    return id;
  }

  /** Learns the name a decoded frame carries (full header) so later compact frames of that stream resolve. */
  learn(frame: { stream?: string }): void {
    if (frame.stream !== undefined) this.add(frame.stream);
  }

  nameOf(id: number): string | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** `#1a2b3c4d`: how tools print a stream whose name is not known. */
export function formatStreamId(id: number): string {
  return `#${id.toString(16).padStart(8, "0")}`;
}
