// Generates docs/config.md from the zod schema, so the reference can never drift from what the agent accepts.
import { z } from "zod";
import { agentConfig } from "./schema/index.js";

type Json = Record<string, any>;

function typeOf(s: Json): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" \\| ");
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(" \\| ");
  if (s.type === "array") return `list of ${typeOf(s.items ?? {})}`;
  if (s.type === "integer") {
    const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
    const hi = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
    return lo !== undefined || hi !== undefined ? `integer ${lo ?? ""}..${hi ?? ""}` : "integer";
  }
  if (s.type === "object") return s.properties?.type?.const ? `object (type ${JSON.stringify(s.properties.type.const)})` : "object";
  return s.type ?? "any";
}

function walk(s: Json, path: string, rows: string[][]): void {
  if (s.type === "object" && s.properties) {
    const required = new Set<string>(s.required ?? []);
    for (const [k, v] of Object.entries<Json>(s.properties)) {
      const p = path ? `${path}.${k}` : k;
      const def = v.default !== undefined && typeof v.default !== "object" ? JSON.stringify(v.default) : v.default !== undefined ? "(defaults)" : "";
      rows.push([`\`${p}\``, typeOf(v), required.has(k) && v.default === undefined ? "yes" : "", def, v.description ?? (v.pattern ? `pattern \`${v.pattern}\`` : "")]);
      walk(v, p, rows);
    }
  } else if (s.type === "array" && s.items) {
    walk(s.items, `${path}[]`, rows);
  } else if (s.anyOf || s.oneOf) {
    for (const alt of s.anyOf ?? s.oneOf) {
      const tag = alt.properties?.type?.const;
      walk(alt, tag ? `${path}{type=${tag}}` : path, rows);
    }
  }
}

export function configReference(): string {
  const schema = z.toJSONSchema(agentConfig, { io: "input", unrepresentable: "any" }) as Json;
  const rows: string[][] = [];
  walk(schema, "", rows);
  return [
    "# Config reference",
    "",
    "Generated from the zod schema in `config/schema/` by `npm run docs:config`; a test fails when this file is stale.",
    "The config is one YAML file (`edge-agent run --config FILE`, check it with `edge-agent check --config FILE`).",
    "Unknown keys are errors. Secrets (`password`, `tls.passphrase`) are `{ env: NAME }` or `{ file: PATH }`, never inline.",
    "`a{type=x}` means: the fields of `a` when its `type` is `x`. Examples: `config/demo.yaml`, `config/coldroom.yaml`, `config/motor.yaml`.",
    "",
    "| field | type | required | default | notes |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|(?<!\\\|)/g, "\\|")).join(" | ")} |`),
    "",
  ].join("\n");
}
