// The agent loop: observation -> policy turn (one call) -> validated -> executed -> observation
// appended to the session stream -> step recorded (commit, state snapshot) -> next turn.
// It never throws: every way a session can stop ends in a SessionEnd and an "ended" event.
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import { applyNotesCall } from "../tools/notes";
import { validateCall } from "../tools/validate";
import { thinkingAsNotesCall } from "../prompt/types";
import { capObservation, keyArgs, observationSummary } from "./stepView";
import { repeatMessage } from "./endMessage";
import { SessionMeter } from "./meter";
import { PauseGate } from "./pauseGate";
import { RepeatDetector } from "./repeatDetector";
import type { AgentEvent, AgentEventListener, Budgets, ModelOutput, Policy, PolicyResume, PolicyStart, PolicyTurn, SessionEnd, SessionEndReason, StepRecord, StepRecorder, ToolExecutor } from "./types";
import { errorMessage } from "../errorMessage";

export interface AgentLoopOptions {
  readonly task: string;
  readonly tools: readonly ToolDefinition[];
  readonly policy: Policy;
  readonly executor: ToolExecutor;
  readonly recorder?: StepRecorder;
  readonly budgets: Budgets;
  readonly signal?: AbortSignal;
  readonly pause?: PauseGate;
  readonly onEvent?: AgentEventListener;
  /** Clock in milliseconds; tests pass a fake one. */
  readonly now?: () => number;
  /** Hard cap on one observation's text (the tools window their output well below it). */
  readonly maxObservationChars?: number;
  /** Continue a recorded session (steps numbered on from it) instead of starting a new one. */
  readonly resume?: LoopResume;
}

/** Where a recorded session stopped, for the loop; budgets count only the steps of this run. */
export interface LoopResume extends Omit<PolicyResume, keyof PolicyStart> {
  /** The notes as the recorded steps left them (the panel's mirror starts from them). */
  readonly notes: string;
}

export const defaultMaxObservationChars = 12_000;

/** Thrown inside the loop to stop it with a given end; caught in runAgentLoop. */
class Stop extends Error {
  constructor(
    readonly reason: SessionEndReason,
    message: string,
    readonly summary?: string,
  ) {
    super(message);
  }
}

interface ResolvedTurn {
  readonly call?: ToolCall;
  readonly tool?: ToolDefinition;
  readonly raw?: string;
  readonly output?: ModelOutput;
  readonly observation: Observation;
}

export async function runAgentLoop(options: AgentLoopOptions): Promise<SessionEnd> {
  return new AgentLoop(options).run();
}

class AgentLoop {
  private readonly meter: SessionMeter;
  private readonly repeats: RepeatDetector;
  private readonly budgetAbort = new AbortController();
  private readonly signal: AbortSignal;
  private notes: string;
  /** Steps recorded before this run (a resumed session); this run's first step is this plus one. */
  private readonly completedSteps: number;

  constructor(private readonly o: AgentLoopOptions) {
    this.notes = o.resume?.notes ?? "";
    this.completedSteps = o.resume?.completedSteps ?? 0;
    this.meter = new SessionMeter(o.budgets, o.now ?? (() => performance.now()));
    this.repeats = new RepeatDetector(o.budgets.repeatLimit);
    this.signal = o.signal ? AbortSignal.any([o.signal, this.budgetAbort.signal]) : this.budgetAbort.signal;
  }

  async run(): Promise<SessionEnd> {
    const timer = setTimeout(() => this.budgetAbort.abort(), Math.min(this.meter.msLeft, 2 ** 31 - 1));
    try {
      await this.begin();
      for (;;) await this.step();
    } catch (error) {
      return this.end(error instanceof Stop ? error : new Stop("error", `unexpected failure: ${errorMessage(error)}`));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts the policy, or brings it up to the recorded steps of a resumed session. */
  private async begin(): Promise<void> {
    const start: PolicyStart = { task: this.o.task, tools: this.o.tools, signal: this.signal };
    const resume = this.o.resume;
    if (!resume) {
      await this.guard("the policy failed to start", async () => this.meter.addTokens((await this.o.policy.start(start)).tokens));
      return;
    }
    const resumePolicy = this.o.policy.resume?.bind(this.o.policy);
    if (!resumePolicy) throw new Stop("error", `the ${this.o.policy.name} policy cannot resume a session`);
    const { notes: _notes, ...where } = resume;
    await this.guard("the policy failed to resume", async () => this.meter.addTokens((await resumePolicy({ ...start, ...where })).tokens));
    if (this.notes) this.emit({ type: "notesChanged", notes: this.notes });
  }

  private async step(): Promise<void> {
    await this.o.pause?.wait(this.signal);
    this.throwIfAborted();
    const spent = this.meter.exhausted();
    if (spent) throw new Stop("budget", spent);
    const started = performance.now();
    const step = this.completedSteps + this.meter.stepCount + 1;
    this.emit({ type: "stepStarted", step });

    const turn = await this.guard("the model failed", () => this.o.policy.next(this.signal));
    if (turn.kind === "exhausted") throw new Stop("error", turn.message);
    this.meter.addTokens(turn.tokens);
    const resolved = await this.resolve(turn);
    const observation = capObservation(resolved.observation, this.o.maxObservationChars ?? defaultMaxObservationChars);
    const finished = resolved.tool?.effect === "ends" && observation.ok;

    let observeTokens = 0;
    if (!finished) {
      observeTokens = await this.guard("the model failed to read the observation", async () => (await this.o.policy.observe(observation, this.signal)).tokens);
      this.meter.addTokens(observeTokens);
    }
    const record = await this.record(step, { ...resolved, ...(turn.output ? { output: turn.output } : {}) }, observation, turn.tokens + observeTokens, performance.now() - started);
    this.meter.finishStep(turn.tokens + observeTokens, performance.now() - started, { tokens: turn.tokens, ms: turn.ms });
    // A recorded step is always reported, even when a stop arrived meanwhile: the timeline and the
    // branch must show the same steps.
    this.report(step, resolved, observation, record);
    await this.saveSnapshot(step);

    if (finished) throw new Stop("finished", "the model finished the task", resolved.call?.body ?? "");
    const times = this.repeats.record(resolved.call ?? `invalid:${resolved.raw ?? ""}`, observation);
    if (this.repeats.tripped) {
      throw new Stop("repeat", repeatMessage(times, observation, resolved.call ? { described: describeCall(resolved.call) } : { raw: resolved.raw ?? "" }));
    }
  }

  /** Validates and executes a turn's call; what cannot run becomes an observation for the model. */
  private async resolve(turn: Exclude<PolicyTurn, { kind: "exhausted" }>): Promise<ResolvedTurn> {
    if (turn.kind === "invalid") return { raw: turn.raw, observation: invalidObservation(turn.error) };
    const check = validateCall(turn.call, this.o.tools);
    if (!check.ok) return { raw: turn.raw ?? JSON.stringify(turn.call), observation: invalidObservation(check.error) };
    if (turn.thinking) await this.think(turn.thinking);
    const observation = await this.guard(`the tool ${turn.call.tool} failed unexpectedly`, () => this.o.executor.execute(turn.call, this.signal));
    this.trackNotes(turn.call, observation);
    return { call: turn.call, tool: check.definition, raw: turn.raw, observation };
  }

  /** A `<think>` block is kept as what it is to the agent: an append to its notes. */
  private async think(thinking: string): Promise<void> {
    const call = thinkingAsNotesCall(thinking);
    const observation = await this.guard("the notes tool failed unexpectedly", () => this.o.executor.execute(call, this.signal));
    this.trackNotes(call, observation);
  }

  private async record(step: number, turn: ResolvedTurn, observation: Observation, tokens: number, ms: number): Promise<StepRecord> {
    const recorder = this.o.recorder;
    if (!recorder) return {};
    try {
      return await recorder.recordStep({ step, call: turn.call, raw: turn.call ? undefined : turn.raw, ...(turn.output ? { output: turn.output } : {}), observation, tokens, ms: Math.round(ms) });
    } catch (error) {
      this.throwIfAborted();
      throw new Stop("error", `recording the step failed: ${errorMessage(error)}`);
    }
  }

  /** The model state after `step`, so that the session can be resumed or rewound to it. */
  private async saveSnapshot(step: number): Promise<void> {
    const snapshotPath = this.o.recorder?.snapshotPath?.(step);
    const saveState = this.o.policy.saveState?.bind(this.o.policy);
    if (snapshotPath && saveState) await this.guard("saving the model state failed", () => saveState(snapshotPath));
  }

  private report(step: number, turn: ResolvedTurn, observation: Observation, record: StepRecord): void {
    const meters = this.meter.snapshot();
    this.emit({
      type: "stepFinished",
      step,
      tool: turn.call?.tool ?? "(invalid)",
      keyArgs: turn.call ? keyArgs(turn.call) : "",
      ok: observation.ok,
      summary: observationSummary(observation),
      tokens: meters.lastStepTokens,
      ms: Math.round(meters.lastStepMs),
      ...(record.commit ? { commit: record.commit } : {}),
      ...(record.diffStat ? { diffStat: record.diffStat } : {}),
      changedFiles: observation.changedFiles ?? [],
      ...(turn.call ? { call: turn.call } : turn.raw !== undefined ? { raw: turn.raw } : {}),
      observation: observation.text,
      ...(observation.attachment ? { attachment: observation.attachment } : {}),
    });
    this.emit({ type: "meters", meters });
  }

  /** Mirrors the scratchpad for the panel; the notes tool itself owns the real text. */
  private trackNotes(call: ToolCall, observation: Observation): void {
    const notes = applyNotesCall(this.notes, call, observation);
    if (notes === undefined) return;
    this.notes = notes;
    this.emit({ type: "notesChanged", notes });
  }

  /** Runs a step of the loop; an abort becomes cancelled/budget, any other failure an error end. */
  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      const value = await run();
      this.throwIfAborted();
      return value;
    } catch (error) {
      if (error instanceof Stop) throw error;
      this.throwIfAborted();
      throw new Stop("error", `${what}: ${errorMessage(error)}`);
    }
  }

  private throwIfAborted(): void {
    if (this.budgetAbort.signal.aborted) throw new Stop("budget", this.meter.exhausted() ?? "the time budget is spent");
    if (this.signal.aborted) throw new Stop("cancelled", "you asked it to stop");
  }

  private end(stop: Stop): SessionEnd {
    const end: SessionEnd = {
      reason: stop.reason,
      message: stop.message,
      ...(stop.summary !== undefined ? { summary: stop.summary } : {}),
      steps: this.completedSteps + this.meter.stepCount,
      tokens: this.meter.tokenCount,
      elapsedMs: Math.round(this.meter.elapsedMs),
    };
    this.emit({ type: "ended", end });
    return end;
  }

  private emit(event: AgentEvent): void {
    try {
      this.o.onEvent?.(event);
    } catch {
      // A broken listener (the UI) must not stop the session.
    }
  }
}

function invalidObservation(error: string): Observation {
  return { ok: false, text: `Not run: ${error}. Answer with exactly one valid tool call.`, summary: error };
}

function describeCall(call: ToolCall): string {
  const args = keyArgs(call);
  return args ? `${call.tool} ${args}` : call.tool;
}

// One running session as the host sees it: start it, pause, resume or stop it, listen to its events,
// and await its end. Thin on purpose: the loop holds the logic, this holds the handles.
export class AgentRun {
  private readonly stopper = new AbortController();
  private readonly gate = new PauseGate();
  private readonly listeners = new Set<AgentEventListener>();
  /** Settles with the session's end; never rejects. */
  readonly done: Promise<SessionEnd>;

  constructor(options: Omit<AgentLoopOptions, "signal" | "pause" | "onEvent">) {
    this.done = runAgentLoop({ ...options, signal: this.stopper.signal, pause: this.gate, onEvent: (e) => this.emit(e) });
  }

  onEvent(listener: AgentEventListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get paused(): boolean {
    return this.gate.paused;
  }

  /** The step in flight finishes; the next one waits. */
  pause(): void {
    if (this.gate.paused) return;
    this.gate.pause();
    this.emit({ type: "paused" });
  }

  resume(): void {
    if (!this.gate.paused) return;
    this.gate.resume();
    this.emit({ type: "resumed" });
  }

  /** Cancels the step in flight (generation, tool) and ends the session as "cancelled". */
  stop(): Promise<SessionEnd> {
    this.stopper.abort();
    return this.done;
  }

  private emit(event: AgentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not stop the session or the other listeners.
      }
    }
  }
}
