// Continues a recorded session after the editor (or the model host) went away: the sibling of
// startSession. The worktree goes back to the last recorded step, a fresh model session loads the
// newest snapshot at or before that step, the steps recorded after the snapshot are re-appended, and
// the loop carries on at the next step number with the notes the trace left. Every refusal (a
// finished or accepted session, a missing model file, another model's snapshot) happens before
// anything is changed.
import { existsSync } from "node:fs";
import { AgentRun, endedByLastStep, formatTraceLine, keyArgs, observationSummary, planResume, type LoopResume, type Policy } from "../core/agent";
import type { SessionStore, SnapshotInfo, Trace } from "../core/sessions";
import { toolDefinitions } from "../core/tools/definitions";
import { toolsWithPacks, type PackName } from "../core/tools/packs";
import type { SessionState } from "../core/tools/registry";
import { log } from "./log";
import type { ModelInfo } from "../../native/protocol";
import { ModelHostError } from "./model/modelHostClient";
import type { ModelService } from "./model/modelService";
import { createRemoteModelPolicy } from "./model/remoteModelPolicy";
import { readModelSettings } from "./model/settings";
import { applyAgentEvent, type PanelState } from "./panelState";
import { openSessionStore, replayPolicy, sessionRecorder, type RunningSession, type WindowContext, budgetsFromUserSettings, WindowContextTracker } from "./sessionRunner";
import { createHostToolExecutor } from "./tools";
import { packsForSession } from "./tools/packs";
import { errorMessage } from "../core/errorMessage";

/** A model policy ready to resume: its model session in the host and how to load a state into it. */
export interface ResumableModel {
  readonly policy: Policy;
  /** The model's file; resuming refuses when it is gone. */
  readonly modelPath: string;
  readonly modelSessionId: string;
  loadState(file: string): Promise<unknown>;
  /** Frees the model session when the resume is refused after it was created. */
  dispose(): Promise<void>;
  /** What a full window (transformers, hybrids) is re-primed with, once the run exists. */
  bindWindowContext?(source: () => WindowContext): void;
}

export interface ResumeRequest {
  readonly sessionId: string;
  /** Replays the calls of this trace file or session branch that the session has not made yet. */
  readonly replay?: string;
  /** The model file the session will use (checked before anything else happens). */
  readonly modelPath?: string;
  /** Creates the model policy when no replay is asked for. */
  readonly openModel?: () => Promise<ResumableModel>;
  /** Restore everything, then wait before the next step (run.resume() continues). */
  readonly paused?: boolean;
}

export interface ResumedSession extends RunningSession {
  /** Steps recorded before the resume; the next step is this plus one. */
  readonly resumedAfterStep: number;
  /** The snapshot loaded into the model (absent for a replay, or when none could be used). */
  readonly snapshotStep?: number;
  /** Steps re-appended to the model after the snapshot. */
  readonly reappendedSteps: number;
  readonly modelSessionId?: string;
  /** Settles once the policy has caught up (state loaded, steps re-appended): true, or false when that
   * failed (the run then ends with the error). */
  readonly restored: Promise<boolean>;
}

/** Thrown for a session that cannot continue; nothing was changed. */
export class ResumeRefused extends Error {
  override readonly name = "ResumeRefused";
}

export async function resumeSession(extensionPath: string, request: ResumeRequest, panel: PanelState): Promise<ResumedSession> {
  const store = await openSessionStore();
  const trace = await refuseUnlessResumable(store, request.sessionId);
  const prepared = request.replay ? await prepareReplay(store, request.replay) : await prepareModel(store, trace, request);
  let session;
  try {
    session = await store.load(request.sessionId);
  } catch (error) {
    await prepared.model?.dispose();
    throw error;
  }
  const plan = planResume(trace.steps, prepared.snapshot?.step);
  log().info(`session ${session.id} resumes after step ${plan.completedSteps} (${prepared.policy.name}${prepared.snapshot ? `, model state of step ${prepared.snapshot.step}, ${plan.turns.length} steps re-appended` : ""})`);
  const { policy, restored } = signallingRestore(prepared.policy);
  // The packs it had: those its steps used, and those its task and files still call for.
  const packs = await packsForSession(trace.header.task, session.worktreePath, trace.steps.map((s) => s.call.tool));
  const run = startRun(extensionPath, store, session, trace, policy, plan, packs);
  panel.sessionStarted({ id: session.id, task: trace.header.task, branch: session.branch });
  // The timeline shows the steps made before the restart too, as the trace recorded them.
  for (const step of trace.steps.slice(0, plan.completedSteps)) {
    panel.stepFinished({
      step: step.step,
      tool: step.call.tool,
      keyArgs: keyArgs(step.call),
      summary: observationSummary(step.observation),
      ok: step.observation.ok,
      ...(step.commit ? { commit: step.commit } : {}),
      call: formatTraceLine(step.call),
      observation: step.observation.text,
    });
  }
  // A full window is re-primed with the goal, the notes and the recent steps, as in a new session.
  const earlier = trace.steps.slice(0, plan.completedSteps).map((s) => WindowContextTracker.stepLine(s.step, s.call.tool, keyArgs(s.call), s.observation.ok, observationSummary(s.observation)));
  const window = new WindowContextTracker(trace.header.task, plan.notes, earlier);
  window.tools = toolsWithPacks(toolDefinitions, packs);
  prepared.model?.bindWindowContext?.(() => window.context());
  const events = run.onEvent((event) => {
    applyAgentEvent(panel, event);
    window.observe(event);
  });
  // Same tick as the run's creation: the loop is still restoring, so no step has begun.
  if (request.paused) run.pause();
  const done = run.done.then(async (end) => {
    events.dispose();
    log().info(`session ${session.id} ended: ${end.reason} — ${end.message}`);
    if (end.reason === "finished") await session.finish(end.summary ?? end.message);
    return end;
  });
  return {
    session,
    run,
    done,
    restored,
    resumedAfterStep: plan.completedSteps,
    reappendedSteps: prepared.snapshot ? plan.turns.length : 0,
    ...(prepared.snapshot ? { snapshotStep: prepared.snapshot.step } : {}),
    ...(prepared.model ? { modelSessionId: prepared.model.modelSessionId } : {}),
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

/** The session's trace, when it may continue: it exists, has not ended and was not accepted. */
async function refuseUnlessResumable(store: SessionStore, id: string): Promise<Trace> {
  const info = await store.info(id);
  if (info.status === "accepted") throw new ResumeRefused(`Session "${info.task}" was accepted; there is nothing to resume.`);
  if (info.status === "finished") throw new ResumeRefused(`Session "${info.task}" is finished; review, accept or discard it instead.`);
  const trace = await store.readTrace(id);
  if (endedByLastStep(trace.steps)) throw new ResumeRefused(`Session "${info.task}" ended with a finish call at step ${trace.steps.length}; there is nothing to resume.`);
  return trace;
}

interface Prepared {
  readonly policy: Policy;
  readonly snapshot?: SnapshotInfo;
  readonly model?: ResumableModel;
}

async function prepareReplay(store: SessionStore, source: string): Promise<Prepared> {
  return { policy: await replayPolicy(store, source) };
}

async function prepareModel(store: SessionStore, trace: Trace, request: ResumeRequest): Promise<Prepared> {
  if (!request.openModel) throw new ResumeRefused("No model is configured: set infiniteToolUse.model.path or pick a model.");
  if (request.modelPath !== undefined && !existsSync(request.modelPath)) {
    throw new ResumeRefused(`The model file ${request.modelPath} is gone; the session cannot continue with its model state. Pick the model again (or its new location) and resume.`);
  }
  const model = await request.openModel();
  try {
    const snapshot = await loadNewestSnapshot(store, trace, model);
    return snapshot ? { policy: model.policy, snapshot, model } : { policy: model.policy, model };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/**
 * Loads the newest usable snapshot at or before the last step. A damaged one (the editor died while
 * saving it) is skipped for an older one; another model's snapshot is a refusal, not a fallback.
 */
async function loadNewestSnapshot(store: SessionStore, trace: Trace, model: ResumableModel): Promise<SnapshotInfo | undefined> {
  const id = trace.header.sessionId;
  const candidates = store.snapshots.list(id).filter((s) => s.step <= trace.steps.length).sort((a, b) => b.step - a.step);
  for (const snapshot of candidates) {
    try {
      await model.loadState(snapshot.path);
      return snapshot;
    } catch (error) {
      if (error instanceof ModelHostError && error.code === "STATE_MISMATCH" && !/not valid JSON|not a saved-state/.test(error.message)) {
        throw new ResumeRefused(`Session ${id} cannot continue with this model: ${error.message}. Configure the model it ran with and resume again.`);
      }
      log().warn(`session ${id}: the model state of step ${snapshot.step} could not be loaded (${errorMessage(error)}); trying an older one`);
    }
  }
  return undefined;
}

function startRun(extensionPath: string, store: SessionStore, session: Awaited<ReturnType<SessionStore["load"]>>, trace: Trace, policy: Policy, plan: LoopResume, packs: readonly PackName[]): AgentRun {
  const state: SessionState = { goal: trace.header.task, notes: plan.notes };
  const executor = createHostToolExecutor(extensionPath, { root: session.worktreePath, session: state, packs });
  const run = new AgentRun({
    task: trace.header.task,
    tools: toolsWithPacks(toolDefinitions, packs),
    policy,
    executor,
    recorder: sessionRecorder(store, session),
    resume: plan,
    // Budgets count this run's steps: a session stopped at its step budget can be continued.
    budgets: budgetsFromUserSettings(),
  });
  void run.done.finally(() => executor.dispose());
  return run;
}

/** What the Resume command may ask for (the integration tests pass it; the Sessions view does not). */
export interface ResumeOptions {
  readonly replay?: string;
  /** A GGUF file to use instead of the loaded or configured model. */
  readonly model?: string;
  readonly paused?: boolean;
}

/** The model part of a ResumeRequest, on the window's model host: `modelPath`, else the configured
 * model (the one sessions run with, rather than whatever was loaded last), else the loaded one.
 * `onReady` hears which model it is (for the panel). */
export function remoteModelForResume(models: ModelService, modelPath: string | undefined, onReady?: (info: ModelInfo) => void): Pick<ResumeRequest, "openModel" | "modelPath"> {
  const path = modelPath ?? (readModelSettings().path || models.modelInfo?.path);
  const openModel = async (): Promise<ResumableModel> => {
    let windowSource: (() => WindowContext) | undefined;
    const { policy, info, sessionId } = await createRemoteModelPolicy(models, path, () => windowSource?.() ?? { goal: "", notes: "", recentSteps: [] });
    onReady?.(info);
    return {
      policy,
      modelPath: info.path,
      modelSessionId: sessionId,
      loadState: (file) => models.client.loadState(sessionId, file),
      dispose: () => models.client.disposeSession(sessionId).catch(() => undefined),
      bindWindowContext: (source) => {
        windowSource = source;
      },
    };
  };
  return path ? { openModel, modelPath: path } : {};
}

/** The Resume command's optional second argument, checked (anything else is ignored). */
export function resumeOptionsFrom(value: unknown): ResumeOptions {
  if (typeof value !== "object" || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.replay === "string" && v.replay ? { replay: v.replay } : {}),
    ...(typeof v.model === "string" && v.model ? { model: v.model } : {}),
    ...(v.paused === true ? { paused: true } : {}),
  };
}
