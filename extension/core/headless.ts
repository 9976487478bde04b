// The contract between the headless `run` command (outside VS Code) and the entry it starts inside
// VS Code's extension host: a request passed through the environment, a result written to a file.

export const headlessRequestEnv = "ITU_HEADLESS_REQUEST";

export interface HeadlessRequest {
  /** The task text (already read from a .md file when one was given). */
  readonly task: string;
  /** Issue number, when the task came from an issue file that names one. */
  readonly issueNumber?: number;
  readonly model?: string;
  /** A llama-server's URL: the session runs on it (its model) instead of a local GGUF file. */
  readonly engine?: string;
  /** A trace file (JSON Lines of tool calls) or a session branch to replay. */
  readonly replay?: string;
  /** A session id to resume (its unfinished trace) instead of starting a new session. */
  readonly resume?: string;
  /** Where the extension host writes the HeadlessResult. */
  readonly resultFile: string;
}

export interface HeadlessResult {
  readonly ok: boolean;
  /** Why the session ended: finished, budget, cancelled, repeat, error. */
  readonly reason: string;
  readonly message: string;
  readonly branch?: string;
  readonly summary?: string;
  readonly steps: number;
  /** Tokens the model generated and read in this run (0 for a replay). */
  readonly tokens?: number;
  /** Session id (its trace is refs/infinite/traces/<id>). */
  readonly sessionId?: string;
  /** How a resumed session picked up (absent for a new one): as the Resume command reports it. */
  readonly resumed?: HeadlessResume;
}

export interface HeadlessResume {
  /** Steps recorded before this run. */
  readonly afterStep: number;
  /** The model snapshot loaded (absent for a replay, or when none could be used). */
  readonly snapshotStep?: number;
  /** Steps re-appended to the model after that snapshot. */
  readonly reappendedSteps: number;
  /** Whether the model state was restored before the next step. */
  readonly restored: boolean;
}

export function parseHeadlessRequest(raw: string | undefined): HeadlessRequest {
  if (!raw) throw new Error(`${headlessRequestEnv} is not set`);
  const value = JSON.parse(raw) as Partial<HeadlessRequest>;
  if (typeof value.task !== "string" || typeof value.resultFile !== "string") throw new Error(`${headlessRequestEnv} needs task and resultFile`);
  if ([value.model, value.engine, value.replay].filter((v) => v !== undefined).length !== 1) throw new Error("exactly one of model, engine and replay is needed");
  return value as HeadlessRequest;
}
