// One session: a branch checked out in its own worktree, plus its trace. The agent loop's tools act
// on `worktreePath`; after each call the loop calls recordStep(), which commits what changed (if
// anything) and appends the call and its observation to the trace.
import type { Observation, ToolCall, ToolEffect } from "../tools/types";
import { SessionError } from "./errors";
import type { GitGate } from "./gitGate";
import type { SnapshotInfo, SnapshotStore } from "./snapshots";
import { formatStepMessage } from "./trailers";
import { serializeTrace, type Trace, type TraceHeader } from "./traceFormat";
import type { TraceStore } from "./traceStore";

export interface StepInput {
  readonly call: ToolCall;
  readonly observation: Observation;
  readonly effect: ToolEffect;
  /** The model's own text and token ids for the turn, when a model wrote it. */
  readonly output?: { readonly text: string; readonly tokens: readonly number[] };
}

export interface RecordedStep {
  readonly step: number;
  /** The commit this step made on the session branch; absent when no file changed. */
  readonly commit?: string;
}

/** Where a resumed or rewound session continues: the files are at `step`; load `snapshot` (when
 * present) into the model, then feed it the trace's observations after `snapshot.step`. */
export interface ResumePoint {
  readonly step: number;
  readonly snapshot?: SnapshotInfo;
  readonly trace: Trace;
}

export class Session {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly git: GitGate,
    readonly header: TraceHeader,
    readonly worktreePath: string,
    private readonly trace: TraceStore,
    private readonly snapshots: SnapshotStore,
    private readonly snapshotBudgetBytes: number,
  ) {}

  get id(): string {
    return this.header.sessionId;
  }

  get branch(): string {
    return this.header.branch;
  }

  /** Steps recorded so far (the next step gets this number plus one). */
  get stepCount(): number {
    return this.trace.stepCount;
  }

  get finished(): boolean {
    return this.trace.finished;
  }

  /** Commits the worktree's changes (if any) with the call in its trailers, then appends the step to
   * the trace. Calls are serialized: steps are numbered in the order they were recorded. */
  recordStep(input: StepInput): Promise<RecordedStep> {
    return this.serialized(() => this.record(input));
  }

  /** Ends the session; the summary becomes the squash commit's message on accept. */
  finish(summary: string): Promise<void> {
    return this.serialized(() => this.trace.finish({ type: "end", summary, at: new Date().toISOString() }));
  }

  /** The file the runtime should save the model state to after `step` (default: the last step). */
  snapshotPath(step = this.stepCount): string {
    return this.snapshots.pathFor(this.id, step);
  }

  readTrace(): Promise<Trace> {
    return this.trace.read();
  }

  /** The trace as JSON Lines (docs/trace-format.md), as `run --replay` reads it. */
  async exportTrace(): Promise<string> {
    return serializeTrace(await this.trace.read());
  }

  async resumePoint(): Promise<ResumePoint> {
    const trace = await this.trace.read();
    const step = trace.steps.length;
    const snapshot = this.snapshots.latestAtOrBefore(this.id, step);
    return snapshot ? { step, snapshot, trace } : { step, trace };
  }

  private async record(input: StepInput): Promise<RecordedStep> {
    if (this.trace.finished) throw new SessionError("session-not-active", `Session ${this.id} has ended; it takes no more steps.`);
    await this.trace.assertUnchanged();
    const step = this.trace.stepCount + 1;
    // The runtime saved the previous step's state by now; keep the folder within its budget.
    this.snapshots.prune(this.snapshotBudgetBytes);
    const commit = await this.commitChanges(step, input);
    await this.trace.append({
      type: "step",
      step,
      call: input.call,
      effect: input.effect,
      observation: input.observation,
      ...(commit ? { commit } : {}),
      ...(input.output ? { output: { text: input.output.text, tokens: [...input.output.tokens] } } : {}),
      at: new Date().toISOString(),
    });
    return commit ? { step, commit } : { step };
  }

  /** A step is state-changing when git sees a change in the worktree, whatever the tool claimed. */
  private async commitChanges(step: number, input: StepInput): Promise<string | undefined> {
    const status = await this.git.run(this.worktreePath, ["status", "--porcelain", "-z", "--untracked-files=all"]);
    if (status.length === 0) return undefined;
    await this.git.run(this.worktreePath, ["add", "-A"]);
    const message = formatStepMessage({ sessionId: this.id, step, call: input.call });
    await this.git.run(this.worktreePath, ["commit", "-q", "--no-verify", "--cleanup=verbatim", "-F", "-"], { input: message });
    return (await this.git.run(this.worktreePath, ["rev-parse", "HEAD"])).trim();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
