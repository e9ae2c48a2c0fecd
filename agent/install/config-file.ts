// The installed config: validated before it is written, never overwriting the one already on the device.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, formatPath, parseConfigText, type ConfigIssue } from "../../config/load.js";
import type { AgentConfig } from "../../config/schema/index.js";
import { layout, under } from "./layout.js";
import type { Ops, Owner } from "./ops.js";

function secretPaths(v: unknown, path: PropertyKey[] = [], out = new Map<string, { env?: string; file?: string }>()) {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === "env" || keys[0] === "file")) {
      out.set(formatPath(path), v as { env?: string; file?: string });
      return out;
    }
    for (const [k, x] of Object.entries(v)) secretPaths(x, [...path, k], out);
  } else if (Array.isArray(v)) v.forEach((x, i) => secretPaths(x, [...path, i], out));
  return out;
}

/**
 * Validates with the agent's own loader. Secrets are the exception: they live on the device (a file in the image,
 * an Environment= of the unit), not on the laptop running the installer, so a secret file is looked up under the
 * root and a missing environment variable is a warning.
 */
export function validateForTarget(text: string, file: string, root: string, warn: (s: string) => void): AgentConfig | undefined {
  try {
    return parseConfigText(text, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const secrets = secretPaths(parseDocument(text).toJS());
    const real: ConfigIssue[] = [];
    for (const issue of e.issues) {
      const ref = secrets.get(issue.path);
      if (!ref) real.push(issue);
      else if (ref.file !== undefined && !existsSync(join(root, ref.file))) real.push({ path: issue.path, message: `secret file ${ref.file} does not exist in ${root}` });
      else if (ref.env !== undefined) warn(`${issue.path}: set ${ref.env} in the service's environment (systemctl edit ${layout.unitName})`);
    }
    if (real.length) throw new ConfigError(file, real);
    return undefined;
  }
}

export type ConfigOutcome = "written" | "unchanged" | "kept-existing" | "replaced";

/** Reads and validates the config to install, before anything on the target is changed. */
export function prepareConfig(root: string, source: string | undefined, warn: (s: string) => void): string | undefined {
  const target = under(root, layout.configFile);
  if (source === undefined) {
    if (!existsSync(target)) throw new ConfigError(layout.configFile, [{ path: "", message: "no config on the device yet: pass --config FILE" }]);
    validateForTarget(readFileSync(target, "utf8"), target, root, warn);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(source, "utf8");
  } catch (e) {
    throw new ConfigError(source, [{ path: "", message: `cannot read: ${(e as Error).message}` }]);
  }
  validateForTarget(text, source, root, warn);
  return text;
}

/** Writes a validated config (from prepareConfig); undefined means keep the device's one. */
export function installConfig(ops: Ops, root: string, text: string | undefined, owner: Owner | undefined, replace: boolean): ConfigOutcome {
  if (text === undefined) return "unchanged";
  const target = under(root, layout.configFile);
  const existing = existsSync(target) ? readFileSync(target, "utf8") : undefined;
  const configOwner = owner && { uid: 0, gid: owner.gid };
  ops.mkdir(under(root, layout.configDir), 0o750, configOwner);
  if (existing === text) return "unchanged";
  if (existing === undefined) {
    ops.writeFile(target, text, 0o640, configOwner);
    return "written";
  }
  if (!replace) {
    // dpkg's conffile rule: the device's config wins; the new one is put beside it for the operator to merge.
    ops.writeFile(`${target}.new`, text, 0o640, configOwner);
    ops.warn(`kept the existing ${layout.configFile}; the given config is at ${layout.configFile}.new (use --replace-config to replace it)`);
    return "kept-existing";
  }
  ops.writeFile(`${target}.bak`, existing, 0o640, configOwner);
  ops.writeFile(target, text, 0o640, configOwner);
  return "replaced";
}
