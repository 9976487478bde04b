// One session run, written once: starting a task, resuming a recorded session and the headless `run`
// all come through runSession. It refuses what cannot run before the model is loaded, opens the
// policy (the model, or a replayed script), opens the git session (freeing the model stream when
// that fails), builds the loop, records each step through core/sessions, keeps the window context a
// full model window is re-primed with, and reports every finished step as one StepView.
//
//   request --> refuse? --> policy (model stream | replay) --> git session --> AgentRun
//                                                                  step --> recorder (commit, trace)
//                                                                       --> StepView --> watcher, window
import { existsSync, readFileSync } from "node:fs";
import type { Session, SessionStore, SnapshotInfo, StartOptions, Trace } from "../sessions";
import { findTool, toolDefinitions } from "../tools/definitions";
import type { SessionState } from "../tools/registry";
import { toolsWithPacks, type PackName } from "../tools/packs";
import type { ToolDefinition } from "../tools/types";
import { errorMessage } from "../errorMessage";
import { AgentRun, type LoopResume } from "./loop";
import { invalidOutputTool } from "./modelPolicy";
import type { ModelStream } from "./modelStream";
import { ReplayPolicy } from "./replayPolicy";
import { endedByLastStep, notesFromSteps, planResume } from "./resume";
import { stepViewOfEvent, stepViewOfTrace, WindowContextTracker, type StepView, type WindowContext } from "./stepView";
import type { AgentEvent, Budgets, Policy, SessionEnd, StepRecorder, ToolExecutor } from "./types";

export type SessionRunRequest =
  | {
      readonly kind: "start";
      readonly task: string;
      /** Names the branch (an issue's title); the task's first words otherwise. */
      readonly title?: string;
      readonly issueNumber?: number;
      readonly base?: string;
      /** A replay script (a file of calls) or a session branch to replay instead of the model. */
      readonly replay?: string;
    }
  | {
      readonly kind: "resume";
      readonly sessionId: string;
      /** Replays the calls of this script or session branch that the session has not made yet. */
      readonly replay?: string;
      /** Restore everything, then wait before the next step (run.resume() continues). */
      readonly paused?: boolean;
    };

/** A model opened for one run: the policy that drives it and the stream it owns. */
export interface OpenedModel {
  readonly policy: Policy;
  readonly stream: ModelStream;
  /** True when `error` (thrown by stream.loadState) means the state is another model's: a refusal,
   * not a damaged file to skip. */
  isOtherModelsState(error: unknown): boolean;
}

export interface ModelOpener {
  /** The model file the run will use; a resume refuses before anything else when it is gone. */
  readonly modelPath?: string;
  /** `window` gives what a full window is re-primed with. */
  open(window: () => WindowContext): Promise<OpenedModel>;
}

/** Hears a run: the panel (and anything else that shows a session) implements it. */
export interface SessionWatcher {
  started(session: { readonly id: string; readonly task: string; readonly branch: string }): void;
  /** A finished step: one recorded before this run (a resume's timeline), then each this run makes. */
  step(view: StepView): void;
  event(event: Exclude<AgentEvent, { type: "stepFinished" }>): void;
}

export interface SessionRunOptions {
  readonly store: SessionStore;
  readonly budgets: Budgets;
  /** The model, when no replay is asked for; absent when none is configured. */
  readonly model?: ModelOpener;
  /** The tools acting on the session's worktree, with `packs` beside the code tools; disposed when the run ends. */
  createExecutor(root: string, state: SessionState, packs: readonly PackName[]): ToolExecutor & { dispose(): void };
  /** The tool packs a session gets, decided once its worktree exists; `usedTools` are the tools its
   * recorded steps called (a resumed session keeps their packs). None when absent. */
  choosePacks?(task: string, worktreePath: string, usedTools: readonly string[]): Promise<readonly PackName[]>;
  readonly watcher?: SessionWatcher;
  readonly log?: (level: "info" | "warn", line: string) => void;
  readonly tools?: readonly ToolDefinition[];
}

export interface SessionRun {
  readonly session: Session;
  readonly run: AgentRun;
  /** Settles when the run ends (the session's end is recorded first); never rejects. */
  readonly done: Promise<SessionEnd>;
  /** The model stream the run drives (absent for a replay); whoever holds the run frees it. */
  readonly model?: ModelStream;
  /** Steps recorded before this run; the next step is this plus one (0 for a new session). */
  readonly resumedAfterStep: number;
  /** The snapshot loaded into the model (absent for a replay, or when none could be used). */
  readonly snapshotStep?: number;
  /** Steps re-appended to the model after the snapshot. */
  readonly reappendedSteps: number;
  /** Settles once a resumed policy has caught up (state loaded, steps re-appended): true, or false
   * when that failed (the run then ends with the error) or nothing was resumed. */
  readonly restored: Promise<boolean>;
}

/** Thrown for a session that cannot continue; nothing was changed. */
export class ResumeRefused extends Error {
  override readonly name = "ResumeRefused";
}

interface Prepared {
  readonly task: string;
  readonly policy: Policy;
  readonly model?: OpenedModel;
  readonly window: WindowContextTracker;
  /** The steps recorded before this run, as the timeline shows them. */
  readonly earlier: readonly StepView[];
  readonly resume?: LoopResume;
  readonly snapshot?: SnapshotInfo;
  openSession(): Promise<Session>;
}

export async function runSession(request: SessionRunRequest, options: SessionRunOptions): Promise<SessionRun> {
  const prepared = request.kind === "start" ? await prepareStart(request, options) : await prepareResume(request, options);
  let session: Session;
  try {
    session = await prepared.openSession();
  } catch (error) {
    // The model stream was created for this session: nothing else will free it.
    await prepared.model?.stream.dispose().catch(() => undefined);
    throw error;
  }
  const packs = (await options.choosePacks?.(prepared.task, session.worktreePath, prepared.earlier.map((v) => v.tool))) ?? [];
  if (packs.length) options.log?.("info", `session ${session.id}: tool packs ${packs.join(", ")}`);
  return launch(session, prepared, packs, request.kind === "resume" && request.paused === true, options);
}

async function prepareStart(request: Extract<SessionRunRequest, { kind: "start" }>, o: SessionRunOptions): Promise<Prepared> {
  const start: StartOptions = {
    task: request.task,
    ...(request.title ? { title: request.title } : {}),
    ...(request.issueNumber ? { issue: request.issueNumber } : {}),
    ...(request.base ? { base: request.base } : {}),
  };
  // Whatever store.start would refuse is refused before the model loads.
  await o.store.checkStart(start);
  const window = new WindowContextTracker(request.task);
  const opened = await openPolicy(request.replay, o, window, () => new Error("no model is configured: set infiniteToolUse.model.path or pick a model"));
  return { task: request.task, ...opened, window, earlier: [], openSession: () => o.store.start(start) };
}

async function prepareResume(request: Extract<SessionRunRequest, { kind: "resume" }>, o: SessionRunOptions): Promise<Prepared> {
  const trace = await refuseUnlessResumable(o.store, request.sessionId);
  if (!request.replay && o.model?.modelPath !== undefined && !existsSync(o.model.modelPath)) {
    throw new ResumeRefused(`The model file ${o.model.modelPath} is gone; the session cannot continue with its model state. Pick the model again (or its new location) and resume.`);
  }
  // A full window is re-primed with the goal, the notes and the recent steps, as in a new session.
  const earlier = trace.steps.map(stepViewOfTrace);
  const window = new WindowContextTracker(trace.header.task, notesFromSteps(trace.steps));
  for (const view of earlier) window.step(view);
  const opened = await openPolicy(request.replay, o, window, () => new ResumeRefused("No model is configured: set infiniteToolUse.model.path or pick a model."));
  let snapshot: SnapshotInfo | undefined;
  try {
    if (opened.model) snapshot = await loadNewestSnapshot(o, trace, opened.model);
  } catch (error) {
    await opened.model?.stream.dispose().catch(() => undefined);
    throw error;
  }
  const resume = planResume(trace.steps, snapshot?.step);
  return {
    task: trace.header.task,
    ...opened,
    window,
    earlier,
    resume,
    ...(snapshot ? { snapshot } : {}),
    openSession: () => o.store.load(request.sessionId),
  };
}

async function openPolicy(replay: string | undefined, o: SessionRunOptions, window: WindowContextTracker, noModel: () => Error): Promise<{ policy: Policy; model?: OpenedModel }> {
  if (replay) return { policy: await replayFrom(o.store, replay) };
  if (!o.model) throw noModel();
  const model = await o.model.open(() => window.context());
  return { policy: model.policy, model };
}

/** The calls to replay: from a replay script file, or from the trace recorded on a session branch. */
export async function replayFrom(store: SessionStore, source: string): Promise<ReplayPolicy> {
  if (existsSync(source)) return ReplayPolicy.fromTrace(readFileSync(source, "utf8"), source);
  const sessions = await store.list();
  const recorded = sessions.find((s) => s.branch === source || s.id === source || s.branch.endsWith(`/${source}`));
  if (!recorded) throw new Error(`nothing to replay at "${source}": it is neither a trace file nor a session branch`);
  const session = await store.load(recorded.id);
  return ReplayPolicy.fromTrace(await session.exportTrace(), recorded.branch);
}

/** The session's trace, when it may continue: it exists, has not ended and was not accepted. */
async function refuseUnlessResumable(store: SessionStore, id: string): Promise<Trace> {
  const info = await store.info(id);
  if (info.status === "accepted") throw new ResumeRefused(`Session "${info.task}" was accepted; there is nothing to resume.`);
  if (info.status === "finished") throw new ResumeRefused(`Session "${info.task}" is finished; review, accept or discard it instead.`);
  const trace = await store.readTrace(id);
  if (endedByLastStep(trace.steps)) throw new ResumeRefused(`Session "${info.task}" ended with a finish call at step ${trace.steps.length}; there is nothing to resume.`);
  return trace;
}

/**
 * Loads the newest usable snapshot at or before the last step. A damaged one (the editor died while
 * saving it) is skipped for an older one; another model's snapshot is a refusal, not a fallback.
 */
async function loadNewestSnapshot(o: SessionRunOptions, trace: Trace, model: OpenedModel): Promise<SnapshotInfo | undefined> {
  const id = trace.header.sessionId;
  const candidates = o.store.snapshots.list(id).filter((s) => s.step <= trace.steps.length).sort((a, b) => b.step - a.step);
  for (const snapshot of candidates) {
    try {
      await model.stream.loadState(snapshot.path);
      return snapshot;
    } catch (error) {
      if (model.isOtherModelsState(error)) {
        throw new ResumeRefused(`Session ${id} cannot continue with this model: ${errorMessage(error)}. Configure the model it ran with and resume again.`);
      }
      o.log?.("warn", `session ${id}: the model state of step ${snapshot.step} could not be loaded (${errorMessage(error)}); trying an older one`);
    }
  }
  return undefined;
}

function launch(session: Session, prepared: Prepared, packs: readonly PackName[], paused: boolean, o: SessionRunOptions): SessionRun {
  const { resume, snapshot, window } = prepared;
  if (resume) {
    const restoredFrom = snapshot ? `, model state of step ${snapshot.step}, ${resume.turns.length} steps re-appended` : "";
    o.log?.("info", `session ${session.id} resumes after step ${resume.completedSteps} (${prepared.policy.name}${restoredFrom})`);
  } else {
    o.log?.("info", `session ${session.id} started on ${session.branch} (${prepared.policy.name}) in ${session.worktreePath}`);
  }
  const state: SessionState = { goal: prepared.task, notes: resume?.notes ?? "" };
  const executor = o.createExecutor(session.worktreePath, state, packs);
  const tools = toolsWithPacks(o.tools ?? toolDefinitions, packs);
  window.setTools(tools);
  const { policy, restored } = resume ? signallingRestore(prepared.policy) : { policy: prepared.policy, restored: Promise.resolve(false) };
  const run = new AgentRun({
    task: prepared.task,
    tools,
    policy,
    executor,
    recorder: sessionRecorder(session),
    // Budgets count this run's steps: a session stopped at its step budget can be continued.
    budgets: o.budgets,
    ...(resume ? { resume } : {}),
  });
  // Same tick as the run's creation: the loop has not begun a step, so no event is missed.
  o.watcher?.started({ id: session.id, task: prepared.task, branch: session.branch });
  for (const view of prepared.earlier) o.watcher?.step(view);
  const events = run.onEvent((event) => {
    if (event.type === "stepFinished") {
      const view = stepViewOfEvent(event);
      window.step(view);
      o.watcher?.step(view);
      return;
    }
    if (event.type === "notesChanged") window.setNotes(event.notes);
    o.watcher?.event(event);
  });
  if (paused) run.pause();
  const done = run.done.then(async (end) => {
    events.dispose();
    executor.dispose();
    o.log?.("info", `session ${session.id} ended: ${end.reason} — ${end.message}`);
    if (end.reason === "finished") await session.finish(end.summary ?? end.message);
    return end;
  });
  return {
    session,
    run,
    done,
    restored,
    resumedAfterStep: resume?.completedSteps ?? 0,
    reappendedSteps: snapshot && resume ? resume.turns.length : 0,
    ...(snapshot ? { snapshotStep: snapshot.step } : {}),
    ...(prepared.model ? { model: prepared.model.stream } : {}),
  };
}

/** Each loop step into the git session: a commit when files changed, a trace line always. */
function sessionRecorder(session: Session): StepRecorder {
  return {
    async recordStep(step) {
      // Output that did not parse still belongs in the record: it is kept as a pseudo-call.
      const call = step.call ?? { tool: invalidOutputTool, args: {}, body: step.raw ?? "" };
      const effect = findTool(call.tool)?.effect ?? "reads";
      // A rendered view or an outline is for the panel; the trace keeps what the model read.
      const { attachment: _forThePanel, ...observation } = step.observation;
      const { commit, diffStat } = await session.recordStep({ call, observation, effect, ...(step.output ? { output: step.output } : {}) });
      return { ...(commit ? { commit } : {}), ...(diffStat ? { diffStat } : {}) };
    },
    snapshotPath: (step) => session.snapshotPath(step),
  };
}

/** The policy as it is, but telling when its resume() is done (the loop starts steps only after). */
function signallingRestore(policy: Policy): { policy: Policy; restored: Promise<boolean> } {
  const resume = policy.resume?.bind(policy);
  if (!resume) return { policy, restored: Promise.resolve(false) };
  let settle: (ok: boolean) => void = () => undefined;
  const restored = new Promise<boolean>((resolve) => (settle = resolve));
  const wrapped: Policy = {
    name: policy.name,
    start: (options) => policy.start(options),
    next: (signal) => policy.next(signal),
    observe: (observation, signal) => policy.observe(observation, signal),
    ...(policy.saveState ? { saveState: (path: string) => policy.saveState!(path) } : {}),
    async resume(options) {
      try {
        const result = await resume(options);
        settle(true);
        return result;
      } catch (error) {
        settle(false);
        throw error;
      }
    },
  };
  return { policy: wrapped, restored };
}
