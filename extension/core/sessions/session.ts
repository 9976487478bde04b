// One session: a branch checked out in its own worktree, plus its trace. The agent loop's tools act
// on `worktreePath`; after each call the loop calls recordStep(), which commits what changed (if
// anything) and appends the call and its observation to the trace.
import type { Observation, ToolCall, ToolEffect } from "../tools/types";
import { SessionError } from "./errors";
import type { SnapshotInfo, SnapshotStore } from "./snapshots";
import { formatStepMessage, serializeTrace, type Trace, type TraceHeader } from "./traceFormat";
import type { PreparedAppend, TraceStore } from "./traceStore";
import type { SessionWorktree } from "./worktreeGit";

export interface StepInput {
  readonly call: ToolCall;
  readonly observation: Observation;
  readonly effect: ToolEffect;
  /** The model's own text and token ids for the turn, when a model wrote it. */
  readonly output?: { readonly text: string; readonly tokens: readonly number[] };
}

/** What recording a step made: its number, and the commit and diff stat when files changed. (The agent
 * loop's RecordedStep is what it hands the recorder.) */
export interface StepRecording {
  readonly step: number;
  /** The commit this step made on the session branch; absent when no file changed. */
  readonly commit?: string;
  /** What that commit changed (the timeline shows it). */
  readonly diffStat?: DiffStat;
}

export interface DiffStat {
  readonly files: number;
  readonly insertions: number;
  readonly deletions: number;
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
  /** The tree of `tip`, read once: a step whose worktree tree equals it changed nothing. */
  private tipTree: string | undefined;

  constructor(
    /** Git on the session's own worktree and git data (never the worktree's `.git` file). */
    readonly worktree: SessionWorktree,
    readonly header: TraceHeader,
    private readonly trace: TraceStore,
    private readonly snapshots: SnapshotStore,
    private readonly snapshotBudgetBytes: number,
    /** The branch tip this session last saw; each step's commit moves it by compare-and-swap. */
    private tip: string,
  ) {}

  get worktreePath(): string {
    return this.worktree.path;
  }

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
  recordStep(input: StepInput): Promise<StepRecording> {
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

  private async record(input: StepInput): Promise<StepRecording> {
    if (this.trace.finished) throw new SessionError("session-not-active", `Session ${this.id} has ended; it takes no more steps.`);
    const step = this.trace.stepCount + 1;
    // The runtime saved the previous step's state by now; keep the folder within its budget.
    this.snapshots.prune(this.snapshotBudgetBytes);
    const committed = await this.commitChanges(step, input);
    // The diff stat reads two commits, not refs: it runs while the refs move.
    // The timeline's figure only: a failure to read it leaves the step recorded without one.
    const diffStat = committed ? this.diffStat(this.tip, committed.commit).catch(() => undefined) : undefined;
    const prepared = await this.trace.prepareAppend({
      type: "step",
      step,
      call: input.call,
      effect: input.effect,
      observation: input.observation,
      ...(committed ? { commit: committed.commit } : {}),
      ...(input.output ? { output: { text: input.output.text, tokens: [...input.output.tokens] } } : {}),
      at: new Date().toISOString(),
    });
    await this.moveRefs(step, committed, prepared);
    prepared.applied();
    if (!committed) return { step };
    this.tip = committed.commit;
    this.tipTree = committed.tree;
    const stat = await diffStat;
    return stat ? { step, commit: committed.commit, diffStat: stat } : { step, commit: committed.commit };
  }

  /**
   * A step is state-changing when git sees a change in the worktree, whatever the tool claimed: the
   * tree of everything in it differs from the tip's. Before git writes anything (even `add` writes
   * the index), the worktree must still be the session's own. The commit is only written here; the
   * branch moves in moveRefs, from the tip this session last saw.
   */
  private async commitChanges(step: number, input: StepInput): Promise<{ commit: string; tree: string } | undefined> {
    this.worktree.assertOwn();
    this.tipTree ??= (await this.worktree.run(["rev-parse", "--verify", "--end-of-options", `${this.tip}^{tree}`])).trim();
    await this.worktree.run(["add", "-A"]);
    const tree = (await this.worktree.run(["write-tree"])).trim();
    if (tree === this.tipTree) return undefined;
    const message = formatStepMessage({ sessionId: this.id, step, call: input.call });
    const commit = await (await this.worktree.objects()).commit({ tree, parents: [this.tip], message });
    return { commit, tree };
  }

  private async diffStat(parent: string, commit: string): Promise<DiffStat | undefined> {
    return parseShortStat(await this.worktree.run(["diff", "--shortstat", parent, commit]));
  }

  /**
   * Moves the session branch (when the step committed) and the trace ref in one transaction, each
   * by compare-and-swap: either both move or neither does, so a commit can never land on a branch
   * someone else moved (a user's ref, a rewind, a second window), nor a trace lose a record.
   */
  private async moveRefs(step: number, committed: { commit: string } | undefined, trace: PreparedAppend): Promise<void> {
    const branchRef = `refs/heads/${this.branch}`;
    const updates = [...(committed ? [`update ${branchRef} ${committed.commit} ${this.tip}`] : []), `update ${trace.ref} ${trace.to} ${trace.from}`];
    try {
      await this.worktree.run(["update-ref", "-m", `infinite-tool-use: step ${step}`, "--stdin"], { input: updates.join("\n") + "\n" });
    } catch (error) {
      if (!(error instanceof SessionError && error.code === "git-failed")) throw error;
      if (!(await this.trace.isUnchanged().catch(() => false))) throw this.trace.changedElsewhere();
      const tip = (await this.worktree.run(["rev-parse", "--verify", "--end-of-options", `${branchRef}^{commit}`]).catch(() => "")).trim();
      if (tip !== this.tip) throw new SessionError("session-changed-elsewhere", `The session branch ${this.branch} moved outside this session (from ${this.tip.slice(0, 12)} to ${tip.slice(0, 12) || "nowhere"}); the step was not recorded. Load the session again.`);
      throw error;
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** `git diff --shortstat`'s line (" 2 files changed, 3 insertions(+), 1 deletion(-)"); undefined when
 * nothing changed (a commit of only a mode change shows no line). */
export function parseShortStat(text: string): DiffStat | undefined {
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const files = n(/(\d+) files? changed/);
  return files ? { files, insertions: n(/(\d+) insertions?/), deletions: n(/(\d+) deletions?/) } : undefined;
}
