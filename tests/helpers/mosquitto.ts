// Runs a real /usr/sbin/mosquitto for a test: its own config in a temp dir, a free loopback port, readiness
// awaited from the broker's own log line, never from a sleep. Never touches the system broker on 1883.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

export interface MosquittoTls {
  cafile: string;
  certfile: string;
  keyfile: string;
  /** Ask for and verify a client certificate (mutual TLS). */
  requireCertificate?: boolean;
  /** Use the certificate's CN as the username (for ACLs). */
  useIdentityAsUsername?: boolean;
}

export interface MosquittoOptions {
  /** Extra lines for mosquitto.conf (after the listener). */
  extraConfig?: string[];
  /** ACL file content; when set, `acl_file` is configured. */
  acl?: string;
  tls?: MosquittoTls;
  /** Defaults to true unless an ACL or TLS identity needs names. */
  allowAnonymous?: boolean;
  /**
   * Keep sessions and queued messages across restarts (saved on SIGTERM), so a subscriber with a persistent
   * session misses nothing while the broker is down.
   */
  persistence?: boolean;
  /** Fixed port; default: a free loopback port. */
  port?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export class Mosquitto {
  readonly dir: string;
  readonly port: number;
  private proc: ChildProcess | null = null;
  private readonly confPath: string;
  /** Everything the broker printed, for diagnostics in failing tests. */
  output = "";

  private constructor(port: number, opts: MosquittoOptions) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), "mosq-"));
    this.confPath = join(this.dir, "mosquitto.conf");
    const lines = [
      "per_listener_settings false",
      // Started as root, mosquitto would drop to the "mosquitto" user, which cannot write to our temp dir.
      "user root",
      `persistence ${opts.persistence ?? false}`,
      `persistence_location ${this.dir}/`,
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "log_type notice",
      "log_type information",
      `listener ${port} 127.0.0.1`,
      `allow_anonymous ${opts.allowAnonymous ?? true}`,
      "max_inflight_messages 0",
      "max_queued_messages 100000",
    ];
    if (opts.tls) {
      lines.push(`cafile ${opts.tls.cafile}`, `certfile ${opts.tls.certfile}`, `keyfile ${opts.tls.keyfile}`);
      if (opts.tls.requireCertificate) lines.push("require_certificate true");
      if (opts.tls.useIdentityAsUsername) lines.push("use_identity_as_username true");
    }
    if (opts.acl !== undefined) {
      const aclPath = join(this.dir, "acl");
      writeFileSync(aclPath, opts.acl);
      lines.push(`acl_file ${aclPath}`);
    }
    lines.push(...(opts.extraConfig ?? []));
    writeFileSync(this.confPath, lines.join("\n") + "\n");
  }

  /** Starts a broker on a free loopback port and resolves once it accepts connections. */
  static async start(opts: MosquittoOptions = {}): Promise<Mosquitto> {
    const m = new Mosquitto(opts.port ?? (await freePort()), opts);
    await m.launch();
    return m;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** (Re)starts the broker on the same port. */
  async launch(): Promise<void> {
    if (this.proc) throw new Error("mosquitto already running");
    const proc = spawn(MOSQUITTO_BIN, ["-c", this.confPath], { stdio: ["ignore", "ignore", "pipe"] });
    this.proc = proc;
    let buf = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        const s = d.toString();
        this.output += s;
        buf += s;
        // mosquitto prints "mosquitto version X running" once its listeners are open.
        if (/ running\b/.test(buf)) {
          buf = "";
          resolve();
        }
      };
      proc.stderr!.on("data", onData);
      proc.once("error", reject);
      proc.once("exit", (code, signal) => {
        if (this.proc === proc) this.proc = null;
        reject(new Error(`mosquitto exited before it was ready (code ${code}, signal ${signal}):\n${this.output}`));
      });
    });
  }

  /** Stops the broker (SIGKILL by default: an abrupt crash, no will published by a clean shutdown path). */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    await exited;
    this.proc = null;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** Kills the broker and removes its temp dir. */
  async stop(): Promise<void> {
    await this.kill("SIGTERM");
    rmSync(this.dir, { recursive: true, force: true });
  }
}
