// The package's library entry: run the agent from code, validate configs, decode frames.
export { startAgent, type AgentDeps, type RunningAgent, type StartOptions } from "./runtime/agent.js";
export { defaultDeps } from "./runtime/default-deps.js";
export { runAgentProcess } from "./runtime/process.js";
export { loadConfig, validateConfig, parseConfigText, ConfigError, type ConfigIssue } from "../config/load.js";
export type { AgentConfig, StreamConfig } from "../config/schema/index.js";
export type { PipelineRecord, SampleRecord, BlockRecord, EventRecord, StreamInfo } from "./model.js";
export * from "./codec/index.js";
