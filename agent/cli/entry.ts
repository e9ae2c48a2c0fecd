// Process entry for running the CLI from source (tests, development): `node --import tsx agent/cli/entry.ts ...`.
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (err) => {
    console.error(err?.stack ?? String(err));
    process.exit(1);
  },
);
