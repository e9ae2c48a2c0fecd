// The demo's embedded MQTT broker (aedes, MQTT 3.1.1 only), counting what arrives per topic for the live view.
import { createServer, type AddressInfo, type Server } from "node:net";
import { Aedes } from "aedes";

export interface TopicCounter {
  messages: number;
  bytes: number;
}

export interface EmbeddedBroker {
  port: number;
  /** Per topic, what clients published (retained and system topics excluded). */
  received: Map<string, TopicCounter>;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off("listening", onListening);
      reject(e);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

/** Listens on `port` (0 = any free port); if it is taken (a system broker on 1883), on a free one instead. */
export async function startEmbeddedBroker(port: number, host = "127.0.0.1"): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  let bound: number;
  try {
    bound = await listen(server, port, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    bound = await listen(server, 0, host);
  }
  const received = new Map<string, TopicCounter>();
  aedes.on("publish", (packet, client) => {
    if (!client || packet.topic.startsWith("$SYS")) return;
    const c = received.get(packet.topic) ?? { messages: 0, bytes: 0 };
    c.messages++;
    c.bytes += packet.payload.length;
    received.set(packet.topic, c);
  });
  return {
    port: bound,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
