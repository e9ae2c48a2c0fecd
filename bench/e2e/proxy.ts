// A TCP relay between a publisher and the broker: counts the bytes the publisher puts on the wire and can
// cut the link (an outage) without touching the broker or the publisher.
import { createServer, connect, type Server, type Socket } from "node:net";

export class WireProxy {
  bytesUp = 0;
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private open = true;
  port = 0;

  constructor(private readonly brokerPort: number) {
    this.server = createServer((client) => {
      if (!this.open) return client.destroy();
      const upstream = connect(this.brokerPort, "127.0.0.1");
      this.sockets.add(client).add(upstream);
      client.on("data", (d) => {
        this.bytesUp += d.length;
        upstream.write(d);
      });
      upstream.on("data", (d) => client.write(d));
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on("close", close).on("error", close);
      upstream.on("close", close).on("error", close);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** Drops every connection and refuses new ones until restore(). */
  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.open = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((r) => this.server.close(() => r()));
  }
}
