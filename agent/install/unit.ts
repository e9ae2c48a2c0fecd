// The systemd unit: rendered from deploy/edge-agent.service and enabled the way `systemctl enable` does it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { layout, under } from "./layout.js";
import type { Ops } from "./ops.js";

export function unitTemplatePath(packageDir: string): string {
  return join(packageDir, "deploy", layout.unitName);
}

export function renderUnit(packageDir: string, nodePath: string): string {
  if (!nodePath.startsWith("/")) throw new Error(`--node must be an absolute path on the device, got ${nodePath}`);
  return readFileSync(unitTemplatePath(packageDir), "utf8").replaceAll("@NODE@", nodePath);
}

export function installUnit(ops: Ops, root: string, packageDir: string, nodePath: string): void {
  const text = renderUnit(packageDir, nodePath);
  const path = under(root, layout.unitFile);
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== text) ops.writeFile(path, text, 0o644);
  // WantedBy=multi-user.target: the link systemctl enable would create, with the absolute in-image target.
  ops.symlink(layout.unitFile, under(root, layout.wantsLink));
}

export function removeUnit(ops: Ops, root: string): void {
  ops.remove(under(root, layout.wantsLink));
  ops.remove(under(root, layout.unitFile));
}
