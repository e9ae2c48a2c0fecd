// Paces the backlog replay with two token buckets (messages/s and bytes/s), each holding at most one second's
// worth, so a reconnect after an outage does not flood the link or starve live data.
export class Pacer {
  private msgTokens: number;
  private byteTokens: number;
  private last: number;

  constructor(
    private readonly msgsPerS: number,
    private readonly bytesPerS: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.msgTokens = msgsPerS;
    this.byteTokens = bytesPerS;
    this.last = now();
  }

  /** Takes tokens for one message of `bytes` and returns 0, or returns how many ms to wait before trying again. */
  take(bytes: number): number {
    this.refill();
    // A message larger than the byte bucket may go once the bucket is full, or it could never go at all.
    const needBytes = Math.min(bytes, this.bytesPerS);
    if (this.msgTokens >= 1 && this.byteTokens >= needBytes) {
      this.msgTokens -= 1;
      this.byteTokens -= bytes;
      return 0;
    }
    const waitMsg = this.msgTokens >= 1 ? 0 : ((1 - this.msgTokens) / this.msgsPerS) * 1000;
    const waitBytes = this.byteTokens >= needBytes ? 0 : ((needBytes - this.byteTokens) / this.bytesPerS) * 1000;
    return Math.max(1, Math.ceil(Math.max(waitMsg, waitBytes)));
  }

  private refill(): void {
    const t = this.now();
    const dt = (t - this.last) / 1000;
    this.last = t;
    this.msgTokens = Math.min(this.msgsPerS, this.msgTokens + dt * this.msgsPerS);
    this.byteTokens = Math.min(this.bytesPerS, this.byteTokens + dt * this.bytesPerS);
  }
}
