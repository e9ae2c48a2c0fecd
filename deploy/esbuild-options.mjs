// How the agent is bundled, shared by `npm run build` (deploy/build.mjs) and bench:e2e, so the benchmark measures the
// code exactly as it ships.
//
// The pure-JavaScript dependencies the agent runs with are bundled and minified with our code. Loaded from
// node_modules they cost a 512 MB gateway about 5 MB of resident memory (docs/benchmarks.md, Memory): V8 keeps the
// source text of every module it loads, comments and whitespace included (zod alone is ~1.5 MB of it), plus a
// module record, a wrapper and a loader round-trip per file (mqtt pulls in ~90 files). Everything else stays an
// import resolved from node_modules at run time:
// - packages with native addons (better-sqlite3, i2c-bus, onoff, serialport), which must load the binary built for
//   the device;
// - pino, whose transports start a worker thread that loads pino's own files by path;
// - aedes, the demo's embedded broker, and anything else not listed below.
// Minified, not mangled: stack traces keep function names, and the shipped source maps give the lines.

/** Packages bundled into dist/, with every package they import in turn. */
export const BUNDLED_PACKAGES = ["zod", "yaml", "mqtt", "fft.js"];

/** The package a bare import names ("@scope/name/sub" -> "@scope/name"), or undefined for a relative or node: one. */
function packageOf(spec) {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) return undefined;
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Our imports of packages not in BUNDLED_PACKAGES stay external; a bundled package's own imports are bundled. */
const externalUnlessBundled = {
  name: "external-unless-bundled",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const pkg = packageOf(args.path);
      if (pkg === undefined || args.importer.includes("/node_modules/")) return undefined;
      return BUNDLED_PACKAGES.includes(pkg) ? undefined : { path: args.path, external: true };
    });
  },
};

/** esbuild options for the agent's code (entry points and output are the caller's). */
export const agentBundleOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [externalUnlessBundled],
  // ws (MQTT over WebSocket) tries these optional native speed-ups and falls back without them.
  external: ["bufferutil", "utf-8-validate"],
  // The CommonJS packages (mqtt and its dependencies) call require() for node's built-ins.
  banner: { js: "import { createRequire as __edgeAgentRequire } from 'node:module'; const require = __edgeAgentRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
};
