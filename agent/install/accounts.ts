// The service account: edited into an image's files, or created with the system's own tools on a live device.
import { existsSync, readFileSync, statSync } from "node:fs";
import { ensureAccount, findRecord, parseRecords, removeAccount, type AccountFiles } from "./account-files.js";
import { layout, under } from "./layout.js";
import type { Ops, Owner } from "./ops.js";

const fileNames = { passwd: "/etc/passwd", group: "/etc/group", shadow: "/etc/shadow", gshadow: "/etc/gshadow" } as const;
type Editable = keyof typeof fileNames;

function readOptional(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function readAccountFiles(root: string): AccountFiles {
  const passwd = readOptional(under(root, fileNames.passwd));
  const group = readOptional(under(root, fileNames.group));
  if (passwd === undefined || group === undefined) {
    throw new Error(`${under(root, "/etc")} has no passwd/group: is ${root} the root filesystem of a Linux image?`);
  }
  return {
    passwd,
    group,
    shadow: readOptional(under(root, fileNames.shadow)),
    gshadow: readOptional(under(root, fileNames.gshadow)),
    loginDefs: readOptional(under(root, "/etc/login.defs")),
  };
}

/** Writes the files that changed, keeping each one's mode and owner, and the previous version as `<file>-` as shadow-utils does. */
function writeAccountFiles(ops: Ops, root: string, before: AccountFiles, after: AccountFiles): void {
  for (const key of Object.keys(fileNames) as Editable[]) {
    const old = before[key];
    const next = after[key];
    if (old === undefined || next === undefined || old === next) continue;
    const path = under(root, fileNames[key]);
    const st = statSync(path);
    const owner: Owner = { uid: st.uid, gid: st.gid };
    ops.writeFile(`${path}-`, old, st.mode & 0o7777, owner);
    ops.writeFile(path, next, st.mode & 0o7777, owner);
  }
}

function daysSinceEpoch(): number {
  // SOURCE_DATE_EPOCH keeps image builds reproducible.
  const s = Number(process.env.SOURCE_DATE_EPOCH);
  return Math.floor((Number.isFinite(s) && s > 0 ? s * 1000 : Date.now()) / 86_400_000);
}

export function ensureImageAccount(ops: Ops, root: string): Owner {
  const before = readAccountFiles(root);
  const r = ensureAccount(before, {
    user: layout.user,
    home: layout.dataDir,
    shell: layout.nologin,
    groups: layout.groups,
    today: daysSinceEpoch(),
  });
  writeAccountFiles(ops, root, before, r.files);
  return { uid: r.uid, gid: r.gid };
}

export function removeImageAccount(ops: Ops, root: string): void {
  const before = readAccountFiles(root);
  writeAccountFiles(ops, root, before, removeAccount(before, layout.user).files);
}

function lookup(root: string, file: "passwd" | "group", name: string): string[] | undefined {
  return findRecord(parseRecords(readOptional(under(root, `/etc/${file}`)) ?? ""), name);
}

/** On a running device: groupadd/useradd/usermod, which also update nscd caches and lock files properly. */
export function ensureLiveAccount(ops: Ops, root = "/"): Owner | undefined {
  for (const g of layout.groups) {
    if (!lookup(root, "group", g)) ops.run("groupadd", ["--system", g]);
  }
  if (!lookup(root, "passwd", layout.user)) {
    ops.run("useradd", [
      "--system",
      "--user-group",
      "--home-dir",
      layout.dataDir,
      "--no-create-home",
      "--shell",
      layout.nologin,
      "--comment",
      "edge-agent",
      layout.user,
    ]);
  }
  const missing = layout.groups.filter((g) => !(lookup(root, "group", g)?.[3] ?? "").split(",").includes(layout.user));
  if (missing.length) ops.run("usermod", ["--append", "--groups", missing.join(","), layout.user]);
  const user = lookup(root, "passwd", layout.user);
  return user ? { uid: Number(user[2]), gid: Number(user[3]) } : undefined;
}

export function removeLiveAccount(ops: Ops, root = "/"): void {
  if (lookup(root, "passwd", layout.user)) ops.run("userdel", [layout.user]);
}
