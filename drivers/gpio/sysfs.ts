// sysfs backend through onoff. onoff always uses /sys/class/gpio; the line number comes from resolve.ts (base + offset).
import type { NowMs } from "../types.js";
import type { GpioEdge, GpioLine, Level } from "./line.js";

type OnoffGpio = import("onoff").Gpio;

export async function openSysfsLine(sysfsNumber: number, now: NowMs): Promise<GpioLine> {
  // Imported lazily: onoff loads the native epoll module, which only exists on Linux.
  const { Gpio } = await import("onoff");
  const gpio: OnoffGpio = new Gpio(sysfsNumber, "in", "both");
  return new SysfsLine(gpio, sysfsNumber, now);
}

class SysfsLine implements GpioLine {
  readonly description: string;

  constructor(
    private readonly gpio: OnoffGpio,
    num: number,
    private readonly now: NowMs,
  ) {
    this.description = `sysfs gpio${num}`;
  }

  async read(): Promise<Level> {
    return (await this.gpio.read()) as Level;
  }

  watch(onEdge: (edge: GpioEdge) => void, onError?: (err: Error) => void): void {
    // onoff gives no kernel timestamp: the edge is stamped when epoll wakes us, which is within a millisecond or so.
    this.gpio.watch((err, value) => {
      if (err) onError?.(err);
      else onEdge({ level: value as Level, t: this.now() });
    });
  }

  async close(): Promise<void> {
    this.gpio.unwatchAll();
    this.gpio.unexport();
  }
}
