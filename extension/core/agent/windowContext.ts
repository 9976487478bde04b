// What a model whose window filled (transformers, hybrids; recurrent models never fill) is re-primed
// with: the goal, the notes and the recent steps. The session run keeps it current as steps finish.
import type { ToolDefinition } from "../tools/types";
import { stepDigestLine, type StepView } from "./stepView";

export interface WindowContext {
  readonly goal: string;
  readonly notes: string;
  /** One line per recent step, oldest first. */
  readonly recentSteps: readonly string[];
  /** The session's tools (its packs included) for the fresh window's preamble; the code tools when absent. */
  readonly tools?: readonly ToolDefinition[];
}

const recentStepsInDigest = 12;

export class WindowContextTracker {
  private readonly steps: string[] = [];
  private tools: readonly ToolDefinition[] | undefined;

  constructor(
    private readonly goal: string,
    private notes = "",
  ) {}

  step(view: StepView): void {
    this.steps.push(stepDigestLine(view));
    if (this.steps.length > recentStepsInDigest) this.steps.shift();
  }

  /** Known once the session's packs are (after its worktree exists). */
  setTools(tools: readonly ToolDefinition[]): void {
    this.tools = tools;
  }

  setNotes(notes: string): void {
    this.notes = notes;
  }

  context(): WindowContext {
    return { goal: this.goal, notes: this.notes, recentSteps: [...this.steps], ...(this.tools ? { tools: this.tools } : {}) };
  }
}
