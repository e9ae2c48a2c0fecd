import type { BuildOptions } from "esbuild";
export declare const BUNDLED_PACKAGES: string[];
export declare const agentBundleOptions: BuildOptions;
