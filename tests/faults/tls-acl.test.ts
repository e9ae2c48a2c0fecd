// Mutual TLS with a CA generated here by openssl, and a Mosquitto ACL that confines each gateway to its own
// topic prefix (the certificate's CN is the MQTT username).
import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Mosquitto } from "../helpers/mosquitto.js";
import { Subscriber } from "./subscriber.js";
import { frame, openTestStore } from "../store/helpers.js";
import { makeUplink, once, uplinkCfg } from "../uplink/harness.js";
import { silentLogger } from "../../agent/log.js";
import type { UplinkConfig } from "../../config/schema/index.js";

let dir: string;
let m: Mosquitto;
const f = (name: string): string => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}
function ca(name: string): void {
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`);
}
function cert(name: string, cn: string, signer: string, ext?: string): void {
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${signer}.crt`, "-CAkey", `${signer}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", ...(ext ? ["-extfile", ext] : []));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mtls-"));
  ca("ca");
  ca("rogue-ca");
  writeFileSync(f("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  cert("server", "localhost", "ca", "san.ext");
  cert("gw1", "gw1", "ca");
  cert("reader", "reader", "ca");
  cert("rogue", "gw1", "rogue-ca");
  m = await Mosquitto.start({
    allowAnonymous: false,
    tls: { cafile: f("ca.crt"), certfile: f("server.crt"), keyfile: f("server.key"), requireCertificate: true, useIdentityAsUsername: true },
    acl: "user reader\ntopic read edge/#\n\npattern readwrite edge/%u/#\n",
  });
});
afterAll(async () => {
  await m?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function tlsCfg(client: string): UplinkConfig {
  return uplinkCfg([`mqtts://127.0.0.1:${m.port}`], { tls: { ca: f("ca.crt"), cert: f(`${client}.crt`), key: f(`${client}.key`) } });
}
const url = (): string => `mqtts://127.0.0.1:${m.port}`;
async function reader(): Promise<Subscriber> {
  return Subscriber.connect(url(), "edge", { ca: [readFileSync(f("ca.crt"))], cert: readFileSync(f("reader.crt")), key: readFileSync(f("reader.key")), rejectUnauthorized: true });
}

it("connects with a valid client certificate and publishes under its own prefix", async () => {
  const sub = await reader();
  const store = openTestStore(join(dir, "ok.db"));
  const u = makeUplink(store, tlsCfg("gw1"), silentLogger(), "gw1");
  try {
    const connected = once(u, "connect");
    await u.start();
    await connected;
    store.put(frame(store, "t", { urgent: true, priority: 0 }));
    await sub.until(() => sub.frames.length === 1);
    expect(sub.frames[0]).toMatchObject({ gatewayId: "gw1", stream: "t" });
  } finally {
    await u.stop();
    store.close();
    await sub.close();
  }
});

it("refuses a client certificate from another CA", async () => {
  const store = openTestStore(join(dir, "rogue.db"));
  const u = makeUplink(store, tlsCfg("rogue"), silentLogger(), "gw1");
  try {
    const failed = once(u, "connection-error");
    await u.start();
    await failed;
    expect(u.status()).toMatchObject({ connected: false, connects: 0 });
  } finally {
    await u.stop();
    store.close();
  }
});

it("the ACL stops a gateway from publishing outside its own prefix; the frame stays stored", async () => {
  const sub = await reader();
  const store = openTestStore(join(dir, "acl.db"));
  // gw1's certificate, but configured as gw2: its topics are edge/gw2/..., which the ACL denies to user gw1.
  const u = makeUplink(store, tlsCfg("gw1"), silentLogger(), "gw2");
  try {
    const connected = once(u, "connect");
    await u.start();
    await connected;
    const refused = once(u, "publish-error");
    store.put(frame(store, "t", { urgent: true, priority: 0 }));
    await refused;
    expect(sub.frames.filter((x) => x.gatewayId === "gw2")).toHaveLength(0);
    expect(u.status().acked).toBe(0);
    expect(store.stats().queuedFrames).toBe(1);
  } finally {
    await u.stop();
    store.close();
    await sub.close();
  }
});
