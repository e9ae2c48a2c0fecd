// The GPIO port: one input line with edge events. Backends: sysfs (onoff), character device (libgpiod tools), emulator.

export type Level = 0 | 1;

/** One edge: the physical level after it and when it happened (epoch ms on the agent clock). */
export interface GpioEdge {
  level: Level;
  t: number;
}

export interface GpioLine {
  /** Human-readable identity for logs and errors, e.g. "sysfs gpio529" or "gpiochip0:17". */
  readonly description: string;
  /** Current physical level (no active-low inversion: the door logic applies that in one place). */
  read(): Promise<Level>;
  /** Edges on both directions. `onError` reports backend trouble (a monitor process died, a read failed). */
  watch(onEdge: (edge: GpioEdge) => void, onError?: (err: Error) => void): void;
  close(): Promise<void>;
}
