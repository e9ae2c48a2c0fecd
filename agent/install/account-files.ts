// Editing /etc/passwd, group, shadow and gshadow of an image that is not running (useradd would change the
// laptop, not the SD card). Pure functions over the files' text: colon-separated records, one per line.

export type Record_ = string[];

export function parseRecords(text: string): Record_[] {
  return text.split("\n").filter((l) => l.length > 0).map((l) => l.split(":"));
}

export function formatRecords(records: Record_[]): string {
  return records.map((r) => r.join(":")).join("\n") + (records.length ? "\n" : "");
}

export function findRecord(records: Record_[], name: string): Record_ | undefined {
  return records.find((r) => r[0] === name);
}

/** Range for system accounts, from the image's login.defs (SYS_UID_MIN/MAX, SYS_GID_MIN/MAX), shadow's defaults otherwise. */
export function systemIdRange(loginDefs: string | undefined, kind: "UID" | "GID"): [number, number] {
  const get = (key: string, dflt: number) => {
    const m = loginDefs?.match(new RegExp(`^\\s*${key}\\s+(\\d+)`, "m"));
    return m ? Number(m[1]) : dflt;
  };
  return [get(`SYS_${kind}_MIN`, 100), get(`SYS_${kind}_MAX`, 999)];
}

/** Highest free id in the range, as useradd --system picks them (keeps them clear of the range's low end). */
export function freeId(used: Set<number>, [min, max]: [number, number], preferred?: number): number {
  if (preferred !== undefined && preferred >= min && preferred <= max && !used.has(preferred)) return preferred;
  for (let id = max; id >= min; id--) if (!used.has(id)) return id;
  throw new Error(`no free system id between ${min} and ${max}`);
}

export interface AccountFiles {
  passwd: string;
  group: string;
  shadow?: string;
  gshadow?: string;
  loginDefs?: string;
}

export interface AccountRequest {
  user: string;
  home: string;
  shell: string;
  groups: readonly string[];
  /** Days since the epoch for shadow's "last password change" field. */
  today: number;
}

export interface AccountResult {
  files: AccountFiles;
  uid: number;
  gid: number;
  /** Human-readable changes; empty when the files already held everything. */
  changes: string[];
}

function addMember(record: Record_, index: number, user: string): boolean {
  const members = (record[index] ?? "").split(",").filter(Boolean);
  if (members.includes(user)) return false;
  record[index] = [...members, user].join(",");
  return true;
}

/** Adds the system user, its own group and its supplementary groups, leaving whatever is already right alone. */
export function ensureAccount(files: AccountFiles, req: AccountRequest): AccountResult {
  const passwd = parseRecords(files.passwd);
  const group = parseRecords(files.group);
  const shadow = files.shadow === undefined ? undefined : parseRecords(files.shadow);
  const gshadow = files.gshadow === undefined ? undefined : parseRecords(files.gshadow);
  const changes: string[] = [];
  const gidRange = systemIdRange(files.loginDefs, "GID");
  const uidRange = systemIdRange(files.loginDefs, "UID");
  const usedGids = () => new Set(group.map((g) => Number(g[2])));

  const ensureGroup = (name: string, preferredGid?: number): Record_ => {
    let g = findRecord(group, name);
    if (!g) {
      g = [name, "x", String(freeId(usedGids(), gidRange, preferredGid)), ""];
      group.push(g);
      changes.push(`add group ${name} (gid ${g[2]})`);
    }
    if (gshadow && !findRecord(gshadow, name)) gshadow.push([name, "!", "", ""]);
    return g;
  };

  let user = findRecord(passwd, req.user);
  let gid: number;
  if (user) {
    gid = Number(user[3]);
  } else {
    const usedUids = new Set(passwd.map((p) => Number(p[2])));
    const existingGroup = findRecord(group, req.user);
    const uid = freeId(usedUids, uidRange, existingGroup ? Number(existingGroup[2]) : undefined);
    gid = Number(ensureGroup(req.user, uid)[2]);
    user = [req.user, "x", String(uid), String(gid), "edge-agent", req.home, req.shell];
    passwd.push(user);
    changes.push(`add user ${req.user} (uid ${uid}, gid ${gid})`);
  }
  if (!findRecord(group, req.user)) ensureGroup(req.user, gid);
  if (shadow && !findRecord(shadow, req.user)) {
    // "!" locks the password: the account exists to own files and run the service, nobody logs in as it.
    shadow.push([req.user, "!", String(req.today), "", "", "", "", "", ""]);
    changes.push(`add shadow entry for ${req.user} (locked)`);
  }
  for (const name of req.groups) {
    const g = ensureGroup(name);
    if (addMember(g, 3, req.user)) changes.push(`add ${req.user} to group ${name}`);
    const gs = gshadow && findRecord(gshadow, name);
    if (gs) addMember(gs, 3, req.user);
  }
  return {
    files: formatAccountFiles(passwd, group, shadow, gshadow, files.loginDefs),
    uid: Number(user[2]),
    gid,
    changes,
  };
}

function formatAccountFiles(
  passwd: Record_[],
  group: Record_[],
  shadow: Record_[] | undefined,
  gshadow: Record_[] | undefined,
  loginDefs: AccountFiles["loginDefs"],
): AccountFiles {
  return {
    passwd: formatRecords(passwd),
    group: formatRecords(group),
    shadow: shadow && formatRecords(shadow),
    gshadow: gshadow && formatRecords(gshadow),
    loginDefs,
  };
}

/** Removes the user, its own group, and its membership in other groups (for uninstall --purge). */
export function removeAccount(files: AccountFiles, userName: string): { files: AccountFiles; changes: string[] } {
  const changes: string[] = [];
  const drop = (records: Record_[] | undefined, what: string) => {
    if (!records) return undefined;
    const kept = records.filter((r) => r[0] !== userName);
    if (kept.length !== records.length) changes.push(`remove ${what} ${userName}`);
    return kept;
  };
  const dropMember = (records: Record_[] | undefined) => {
    for (const r of records ?? []) {
      const members = (r[3] ?? "").split(",").filter(Boolean);
      if (members.includes(userName)) r[3] = members.filter((m) => m !== userName).join(",");
    }
    return records;
  };
  const passwd = drop(parseRecords(files.passwd), "user")!;
  const group = dropMember(drop(parseRecords(files.group), "group"))!;
  const shadow = drop(files.shadow === undefined ? undefined : parseRecords(files.shadow), "shadow entry");
  const gshadow = dropMember(drop(files.gshadow === undefined ? undefined : parseRecords(files.gshadow), "gshadow entry"));
  return {
    files: formatAccountFiles(passwd, group, shadow, gshadow, files.loginDefs),
    changes,
  };
}
