// Opens a serial port: the native serialport binding, or @serialport/binding-mock for the emulator.
import type { MockPortBinding } from "@serialport/binding-mock";
import type { LineSettings } from "./rtu-timing.js";
import type { SerialStream } from "./rtu-master.js";

export interface OpenedSerial {
  stream: SerialStream;
  /** The mock binding, when simulated: the slave emulator answers on it. */
  mock?: MockPortBinding;
  close(): Promise<void>;
}

type ClosableStream = SerialStream & {
  open(cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
  isOpen: boolean;
  on(event: "error", fn: (err: Error) => void): unknown;
};

export async function openSerial(path: string, line: LineSettings, simulate: boolean, onError: (err: Error) => void = () => {}): Promise<OpenedSerial> {
  const settings = { path, baudRate: line.baudRate, dataBits: line.dataBits, parity: line.parity, stopBits: line.stopBits, autoOpen: false } as const;
  let stream: ClosableStream;
  if (simulate) {
    const { MockBinding } = await import("@serialport/binding-mock");
    const { SerialPortStream } = await import("@serialport/stream");
    MockBinding.createPort(path, { echo: false, record: false });
    // The binding-interface types do not resolve under NodeNext (no ESM typings), so the constructor is typed here.
    const Stream = SerialPortStream as unknown as new (o: object) => ClosableStream;
    stream = new Stream({ binding: MockBinding, ...settings });
  } else {
    const { SerialPort } = await import("serialport");
    stream = new SerialPort(settings) as unknown as ClosableStream;
  }
  stream.on("error", onError);
  await new Promise<void>((resolve, reject) => stream.open((err) => (err ? reject(err) : resolve())));
  const mock = simulate ? ((stream as unknown as { port: MockPortBinding }).port) : undefined;
  return {
    stream,
    mock,
    close: () => new Promise<void>((resolve) => (stream.isOpen ? stream.close(() => resolve()) : resolve())),
  };
}
