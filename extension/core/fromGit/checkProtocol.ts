// The contract between `from-git --check` (outside VS Code) and the entry it starts inside VS Code's
// extension host: which converted commits to replay, and what each replay produced.

export const replayCheckRequestEnv = "ITU_REPLAY_CHECK_REQUEST";

export interface ReplayCheckItem {
  readonly sha: string;
  /** The commit the session starts from (an empty commit stands in for a root commit's parent). */
  readonly base: string;
  /** A file of calls (docs/trace-format.md "Replay input"). */
  readonly callsFile: string;
  readonly task: string;
  /** Paths the converter left out (binary, links...): a difference there is expected. */
  readonly skippedPaths: readonly string[];
  /** Paths whose mode only was left out: their content must still match. */
  readonly modeOnlyPaths: readonly string[];
}

export interface ReplayCheckRequest {
  readonly items: readonly ReplayCheckItem[];
  readonly resultFile: string;
}

export interface ReplayCheckOutcome {
  readonly sha: string;
  /** The replayed branch's tree is the commit's tree, byte for byte. */
  readonly exact: boolean;
  /** The same, ignoring the paths the converter skipped. */
  readonly exactOutsideSkipped: boolean;
  /** Paths whose content or mode differ (`git diff --name-status` lines). */
  readonly differences: readonly string[];
  /** The first replayed call that failed, with its observation. */
  readonly firstFailure?: string;
  /** How the replayed session ended (finished, error, budget...). */
  readonly ended: string;
  readonly steps: number;
  readonly ms: number;
}

export interface ReplayCheckResult {
  readonly outcomes: readonly ReplayCheckOutcome[];
  /** Set when the run as a whole failed (the extension did not load...). */
  readonly error?: string;
}

export function parseReplayCheckRequest(raw: string): ReplayCheckRequest {
  const value = JSON.parse(raw) as Partial<ReplayCheckRequest>;
  if (!Array.isArray(value.items) || typeof value.resultFile !== "string") throw new Error(`${replayCheckRequestEnv} needs items and resultFile`);
  return value as ReplayCheckRequest;
}
