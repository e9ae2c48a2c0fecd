// Register maps: which registers to read in as few requests as possible, and how to turn words into integer counts.
import { MAX_READ_REGISTERS, type RegisterTable } from "./rtu-frame.js";

export interface RegisterSpec {
  name: string;
  table: RegisterTable;
  address: number;
  type: "u16" | "s16" | "u32" | "s32";
  /** Order of the two 16-bit words of a 32-bit value: "big" = high word at the lower address (Modbus custom). */
  wordOrder: "big" | "little";
  scale: number;
  offset: number;
  unit: string;
}

export interface ReadBlock {
  table: RegisterTable;
  address: number;
  count: number;
}

export const wordsOf = (r: Pick<RegisterSpec, "type">): number => (r.type === "u32" || r.type === "s32" ? 2 : 1);

/** Groups registers into contiguous reads per table; gaps up to `maxGap` unused words are read through. */
export function planReads(regs: RegisterSpec[], maxGap = 8): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const table of ["holding", "input"] as const) {
    const spans = regs.filter((r) => r.table === table).map((r) => [r.address, r.address + wordsOf(r)] as const).sort((a, b) => a[0] - b[0]);
    let cur: ReadBlock | undefined;
    for (const [start, end] of spans) {
      if (cur && start <= cur.address + cur.count + maxGap && end - cur.address <= MAX_READ_REGISTERS) {
        cur.count = Math.max(cur.count, end - cur.address);
      } else {
        cur = { table, address: start, count: end - start };
        blocks.push(cur);
      }
    }
  }
  return blocks;
}

/** Decodes one register spec from the words a block read returned. */
export function decodeRegister(r: RegisterSpec, words: (address: number) => number): number {
  if (wordsOf(r) === 1) {
    const w = words(r.address);
    return r.type === "s16" && w >= 0x8000 ? w - 0x10000 : w;
  }
  const [hi, lo] = r.wordOrder === "big" ? [words(r.address), words(r.address + 1)] : [words(r.address + 1), words(r.address)];
  const u = hi * 0x10000 + lo;
  return r.type === "s32" && u >= 0x80000000 ? u - 0x100000000 : u;
}
