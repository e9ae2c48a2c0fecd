// Fails the run outright when the suite is started outside the QEMU guest: a kernel test must never pass by skipping.
import { existsSync } from "node:fs";

export default function guestOnly(): void {
  if (process.env.EDGE_KERNEL_GUEST !== "1" || !existsSync("/sys/module/i2c_stub") || !existsSync("/sys/kernel/config/gpio-sim")) {
    throw new Error("the kernel suite runs only inside the QEMU guest: use `npm run test:kernel`");
  }
}
