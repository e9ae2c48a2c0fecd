// @serialport/binding-mock ships types only for its CommonJS entry; under NodeNext the ESM entry has none.
// These are the parts the emulator uses, matching the package's own dist/index.d.ts.
declare module "@serialport/binding-mock" {
  export interface CreatePortOptions {
    echo?: boolean;
    record?: boolean;
    readyData?: Buffer;
    maxReadSize?: number;
  }

  export class MockPortBinding {
    isOpen: boolean;
    emitData(data: Buffer | string): void;
    close(): Promise<void>;
    read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
    write(buffer: Buffer): Promise<void>;
    getBaudRate(): Promise<{ baudRate: number }>;
    flush(): Promise<void>;
    drain(): Promise<void>;
  }

  export interface MockBindingInterface {
    reset(): void;
    createPort(path: string, opt?: CreatePortOptions): void;
  }

  export const MockBinding: MockBindingInterface;
}
