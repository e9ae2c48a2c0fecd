// Exit codes of the edge-agent command, documented in docs/cli.md.
export const ExitCode = {
  ok: 0,
  /** A runtime failure: the agent could not start or a command failed. */
  failure: 1,
  /** The config is invalid, or the command line is wrong. Nothing was started. */
  usage: 2,
  /** Hardware not found or not accessible (probe on a missing bus, no GPIO backend). */
  hardware: 3,
} as const;

/** Thrown by commands for a bad command line; main prints the message and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
