// npm run docs:config
import { writeFileSync } from "node:fs";
import { configReference } from "./reference.js";

writeFileSync(new URL("../docs/config.md", import.meta.url), configReference());
console.log("docs/config.md written");
