// One transaction at a time per bus: several chips share a bus, two buses run independently.
import type { I2cBus } from "./port.js";

/** A FIFO mutex over promises. A failing transaction releases the lock like a successful one. */
export class BusLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

const locks = new WeakMap<object, BusLock>();

/** The lock of a bus object; every wrapper of the same bus object shares it. */
export function lockOf(bus: object): BusLock {
  let lock = locks.get(bus);
  if (!lock) {
    lock = new BusLock();
    locks.set(bus, lock);
  }
  return lock;
}

const SERIALIZED = Symbol("serialized");

/**
 * Wraps a bus so every transfer goes through its lock. Multi-step exchanges (command, wait, read) release the bus
 * while they wait, so a slow conversion on one chip never blocks the others.
 */
export function serializeBus(bus: I2cBus): I2cBus {
  if ((bus as unknown as Record<symbol, boolean>)[SERIALIZED]) return bus;
  const lock = lockOf(bus);
  const wrapped: I2cBus = {
    readByte: (a, c) => lock.run(() => bus.readByte(a, c)),
    writeByte: (a, c, b) => lock.run(() => bus.writeByte(a, c, b)),
    readWord: (a, c) => lock.run(() => bus.readWord(a, c)),
    writeWord: (a, c, w) => lock.run(() => bus.writeWord(a, c, w)),
    readI2cBlock: (a, c, l, b) => lock.run(() => bus.readI2cBlock(a, c, l, b)),
    i2cRead: (a, l, b) => lock.run(() => bus.i2cRead(a, l, b)),
    i2cWrite: (a, l, b) => lock.run(() => bus.i2cWrite(a, l, b)),
    close: () => lock.run(() => bus.close()),
  };
  if (bus.receiveByte) {
    const rb = bus.receiveByte.bind(bus);
    wrapped.receiveByte = (a) => lock.run(() => rb(a));
  }
  Object.defineProperty(wrapped, SERIALIZED, { value: true });
  return wrapped;
}
