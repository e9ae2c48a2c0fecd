// Reads a YAML config, validates it against the schema, resolves secrets, and reports every error with its path.
import { readFileSync, existsSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { agentConfig, type AgentConfig } from "./schema/index.js";
import type { SecretRef } from "./schema/common.js";

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${file}: ${issues.length} error(s)\n` + issues.map((i) => `  ${i.path || "(root)"}: ${i.message}`).join("\n"));
    this.name = "ConfigError";
  }
}

/** streams[2].sensor.address */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function issuesOf(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of error.issues) {
    if (i.code === "unrecognized_keys") {
      for (const k of i.keys) out.push({ path: formatPath([...i.path, k]), message: "unknown key" });
    } else if (i.code === "invalid_union" && "errors" in i && Array.isArray(i.errors) && i.message === "Invalid input") {
      out.push({ path: formatPath(i.path), message: "does not match any accepted form" });
    } else {
      out.push({ path: formatPath(i.path), message: i.message });
    }
  }
  return out;
}

/** Validates an already-parsed object. Throws ConfigError listing every problem at once. */
export function validateConfig(raw: unknown, file = "<config>"): AgentConfig {
  const r = agentConfig.safeParse(raw);
  if (!r.success) throw new ConfigError(file, issuesOf(r.error));
  const secretIssues: ConfigIssue[] = [];
  walkSecrets(r.data, [], (ref, path) => {
    if ("env" in ref && process.env[ref.env] === undefined) {
      secretIssues.push({ path: formatPath(path), message: `environment variable ${ref.env} is not set` });
    } else if ("file" in ref && !existsSync(ref.file)) {
      secretIssues.push({ path: formatPath(path), message: `secret file ${ref.file} does not exist` });
    }
  });
  if (secretIssues.length) throw new ConfigError(file, secretIssues);
  return r.data;
}

export function parseConfigText(text: string, file = "<config>"): AgentConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(file, doc.errors.map((e) => ({ path: `line ${e.linePos?.[0].line ?? "?"}`, message: e.message.split("\n")[0] })));
  }
  return validateConfig(doc.toJS(), file);
}

export function loadConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [{ path: "", message: `cannot read: ${(e as Error).message}` }]);
  }
  return parseConfigText(text, file);
}

/** Returns the secret's value. Only called after validateConfig has checked that it exists. */
export function readSecret(ref: SecretRef): string {
  if ("env" in ref) return process.env[ref.env] ?? "";
  return readFileSync(ref.file, "utf8").replace(/\r?\n$/, "");
}

function isSecretRef(v: unknown): v is SecretRef {
  if (!v || typeof v !== "object") return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === "env" || keys[0] === "file") && typeof (v as Record<string, unknown>)[keys[0]] === "string";
}

function walkSecrets(v: unknown, path: PropertyKey[], fn: (ref: SecretRef, path: PropertyKey[]) => void): void {
  if (isSecretRef(v)) return fn(v, path);
  if (Array.isArray(v)) v.forEach((x, i) => walkSecrets(x, [...path, i], fn));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walkSecrets(x, [...path, k], fn);
}
