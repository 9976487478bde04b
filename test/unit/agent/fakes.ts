// Small policies and a recorder for the loop's tests.
import type { AgentLoopOptions } from "../../../extension/core/agent/loop";
import type { Budgets, Policy, PolicyTurn, RecordedStep, StepRecord, StepRecorder } from "../../../extension/core/agent/types";
import { findTool, toolDefinitions } from "../../../extension/core/tools/definitions";
import type { Observation, ToolCall } from "../../../extension/core/tools/types";

/** Budgets no test reaches unless it lowers one. */
export const roomy: Budgets = { maxSteps: 100, maxTokens: 1_000_000, maxMs: 60_000, repeatLimit: 3 };

/** Loop options for the greeting task with every tool and roomy budgets; tests add policy, executor and the rest. */
export function options(overrides: Partial<AgentLoopOptions> & Pick<AgentLoopOptions, "policy" | "executor">): AgentLoopOptions {
  return { task: "fix the greeting", tools: toolDefinitions, budgets: roomy, ...overrides };
}

/** Answers with scripted turns; a function entry computes a turn (or throws) when reached. */
export class ScriptedPolicy implements Policy {
  readonly name = "scripted";
  readonly observed: Observation[] = [];
  readonly savedStates: string[] = [];
  private position = 0;

  constructor(private readonly turns: ReadonlyArray<PolicyTurn | (() => Promise<PolicyTurn>)>) {}

  async start(): Promise<{ tokens: number }> {
    return { tokens: 0 };
  }

  async next(): Promise<PolicyTurn> {
    const turn = this.turns[Math.min(this.position++, this.turns.length - 1)];
    if (!turn) return { kind: "exhausted", message: "no turns" };
    return typeof turn === "function" ? turn() : turn;
  }

  async observe(observation: Observation): Promise<{ tokens: number }> {
    this.observed.push(observation);
    return { tokens: 5 };
  }

  async saveState(path: string): Promise<void> {
    this.savedStates.push(path);
  }
}

export function callTurn(call: ToolCall, tokens = 0): PolicyTurn {
  return { kind: "call", call, tokens, ms: 1 };
}

export class ListRecorder implements StepRecorder {
  readonly steps: RecordedStep[] = [];
  async recordStep(step: RecordedStep): Promise<StepRecord> {
    this.steps.push(step);
    return changesFiles(step) ? { commit: `c${step.step}`, diffStat: { files: step.observation.changedFiles?.length ?? 0, insertions: 1, deletions: 0 } } : {};
  }
  snapshotPath(step: number): string {
    return `/snapshots/${step}.bin`;
  }
}

/** Whether a recorded step may have changed files, as git would find after it (the fake has no git). */
export function changesFiles(step: RecordedStep): boolean {
  const effect = step.call ? findTool(step.call.tool)?.effect : undefined;
  return step.observation.ok && (effect === "writes" || effect === "runs");
}
