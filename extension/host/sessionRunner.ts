// Joins the pieces into one running session: a git session (branch + worktree), the tools acting on
// the worktree, a policy (the model, or a replayed trace), the agent loop, and the task panel.
import { readFileSync, existsSync } from "node:fs";
import * as vscode from "vscode";
import { AgentRun, budgetsFromSettings, invalidOutputTool, ReplayPolicy, type AgentEvent, type Budgets, type DiffStat, type Policy, type RecordedStep, type SessionEnd, type StepRecorder } from "../core/agent";
import { SessionStore, type Session } from "../core/sessions";
import { findTool, toolDefinitions } from "../core/tools/definitions";
import type { SessionState } from "../core/tools/registry";
import type { ToolCall } from "../core/tools/types";
import { log } from "./log";
import { applyAgentEvent, type PanelState } from "./panelState";
import { createHostToolExecutor } from "./tools";

export interface SessionRequest {
  readonly task: string;
  /** Names the branch (an issue's title); the task's first words otherwise. */
  readonly title?: string;
  readonly issueNumber?: number;
  /** A trace file (JSON Lines of calls) or a session branch to replay; the model otherwise. */
  readonly replay?: string;
  /**
   * Creates the model policy (model host + protocol adapter) when no replay is asked for. `context`
   * gives what a re-primed window is fed when a transformer's or hybrid's memory fills.
   */
  readonly modelPolicy?: (context: () => WindowContext) => Promise<Policy>;
  readonly base?: string;
}

/** What a model whose window filled is re-primed with: the goal, the notes and the recent steps. */
export interface WindowContext {
  readonly goal: string;
  readonly notes: string;
  /** One line per recent step, oldest first. */
  readonly recentSteps: readonly string[];
}

const recentStepsInDigest = 12;

/** Follows a run's events to know what a re-primed window needs (see WindowContext). */
export class WindowContextTracker {
  private readonly steps: string[];

  constructor(
    private readonly goal: string,
    private notes = "",
    earlierSteps: readonly string[] = [],
  ) {
    this.steps = earlierSteps.slice(-recentStepsInDigest);
  }

  static stepLine(step: number, tool: string, keyArgs: string, ok: boolean, summary: string): string {
    return `step ${step}: ${tool} ${keyArgs} -> ${ok ? "" : "failed: "}${summary}`;
  }

  observe(event: AgentEvent): void {
    if (event.type === "notesChanged") this.notes = event.notes;
    if (event.type !== "stepFinished") return;
    this.steps.push(WindowContextTracker.stepLine(event.step, event.tool, event.keyArgs, event.ok, event.summary));
    if (this.steps.length > recentStepsInDigest) this.steps.shift();
  }

  context(): WindowContext {
    return { goal: this.goal, notes: this.notes, recentSteps: [...this.steps] };
  }
}

export interface RunningSession {
  readonly session: Session;
  readonly run: AgentRun;
  readonly done: Promise<SessionEnd>;
}

function settings() {
  return vscode.workspace.getConfiguration("infiniteToolUse");
}

/** The session budgets as the user set them (infiniteToolUse.budget.*). */
export function budgetsFromUserSettings(): Budgets {
  const budget = settings();
  return budgetsFromSettings({
    maxSteps: budget.get("budget.maxSteps"),
    maxTokens: budget.get("budget.maxTokens"),
    maxMinutes: budget.get("budget.maxMinutes"),
    repeatLimit: budget.get("budget.repeatLimit"),
  });
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("open a folder first: a session works on a git repository");
  return folder.uri.fsPath;
}

export function openSessionStore(root = workspaceRoot()): Promise<SessionStore> {
  return SessionStore.open(root, {
    log: (line) => log().debug(line),
    branchPrefix: settings().get<string>("git.branchPrefix"),
    snapshotBudgetMB: settings().get<number>("snapshots.budgetMB"),
  });
}

/** The calls to replay: from a trace file, or from the trace recorded on a session branch. */
export async function replayPolicy(store: SessionStore, source: string): Promise<ReplayPolicy> {
  if (existsSync(source)) return ReplayPolicy.fromTrace(readFileSync(source, "utf8"), source);
  const sessions = await store.list();
  const recorded = sessions.find((s) => s.branch === source || s.id === source || s.branch.endsWith(`/${source}`));
  if (!recorded) throw new Error(`nothing to replay at "${source}": it is neither a trace file nor a session branch`);
  const session = await store.load(recorded.id);
  return ReplayPolicy.fromTrace(await session.exportTrace(), recorded.branch);
}

/** Output that did not parse still belongs in the record: it is kept as a pseudo-call. */
function recordedCall(step: RecordedStep): ToolCall {
  return step.call ?? { tool: invalidOutputTool, args: {}, body: step.raw ?? "" };
}

function parseShortStat(text: string): DiffStat | undefined {
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const files = n(/(\d+) files? changed/);
  return files ? { files, insertions: n(/(\d+) insertions?/), deletions: n(/(\d+) deletions?/) } : undefined;
}

export function sessionRecorder(store: SessionStore, session: Session): StepRecorder {
  return {
    async recordStep(step) {
      const call = recordedCall(step);
      const effect = findTool(call.tool)?.effect ?? "reads";
      const recorded = await session.recordStep({ call, observation: step.observation, effect, ...(step.output ? { output: step.output } : {}) });
      if (!recorded.commit) return {};
      const stat = await store.git.run(session.worktreePath, ["diff", "--shortstat", `${recorded.commit}^`, recorded.commit]);
      const diffStat = parseShortStat(stat);
      return diffStat ? { commit: recorded.commit, diffStat } : { commit: recorded.commit };
    },
    snapshotPath: (step) => session.snapshotPath(step),
  };
}

export async function startSession(extensionPath: string, request: SessionRequest, panel: PanelState): Promise<RunningSession> {
  const store = await openSessionStore();
  const state: SessionState = { goal: request.task, notes: "" };
  const window = new WindowContextTracker(request.task);
  const policy = request.replay ? await replayPolicy(store, request.replay) : await request.modelPolicy?.(() => window.context());
  if (!policy) throw new Error("no model is configured: set infiniteToolUse.model.path or pick a model");
  const session = await store.start({
    task: request.task,
    ...(request.title ? { title: request.title } : {}),
    ...(request.issueNumber ? { issue: request.issueNumber } : {}),
    ...(request.base ? { base: request.base } : {}),
  });
  log().info(`session ${session.id} started on ${session.branch} (${policy.name}) in ${session.worktreePath}`);
  const executor = createHostToolExecutor(extensionPath, { root: session.worktreePath, session: state });
  const run = new AgentRun({
    task: request.task,
    tools: toolDefinitions,
    policy,
    executor,
    recorder: sessionRecorder(store, session),
    budgets: budgetsFromUserSettings(),
  });
  panel.sessionStarted({ id: session.id, task: request.task, branch: session.branch });
  const events = run.onEvent((event) => {
    applyAgentEvent(panel, event);
    window.observe(event);
  });
  const done = run.done.then(async (end) => {
    events.dispose();
    executor.dispose();
    log().info(`session ${session.id} ended: ${end.reason} — ${end.message}`);
    if (end.reason === "finished") await session.finish(end.summary ?? end.message);
    return end;
  });
  return { session, run, done };
}
