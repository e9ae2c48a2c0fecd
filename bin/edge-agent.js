#!/usr/bin/env node
// Runs the compiled CLI. `npm ci` builds dist/ through the `prepare` script.
import("../dist/agent/cli/main.js").then((m) => m.main(process.argv.slice(2))).then(
  (code) => { if (typeof code === "number") process.exitCode = code; },
  (err) => { console.error(err?.stack ?? String(err)); process.exit(1); },
);
