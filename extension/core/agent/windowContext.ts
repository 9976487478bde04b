// What a model whose window filled (transformers, hybrids; recurrent models never fill) is re-primed
// with: the goal, the notes and the recent steps. The session run keeps it current as steps finish.
import type { ProtocolAdapter, Segment } from "../prompt/types";
import { toolDefinitions } from "../tools/definitions";
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

/**
 * A fresh window's prompt: the rules and tools, then the goal with the notes and recent steps. In a
 * small window the full digest may leave no room for a turn, so lighter ones follow it (fewer
 * steps, then no notes); the engine primes with the first that fits. Segments, not text: the
 * template's markers must become their special tokens again, while the goal, notes and steps (which
 * may quote a marker) stay plain text.
 */
export function windowDigest(adapter: ProtocolAdapter, context: WindowContext): Segment[][] {
  const digest = (notes: string, steps: readonly string[]) => {
    const recent = steps.length ? `\n\nThe most recent steps:\n${steps.join("\n")}` : "";
    const noted = notes.trim() ? `\n\nYour notes so far:\n${notes.trim()}` : "";
    const resumed = "\n\n(Your memory of this session was compacted; re-read files with the tools as needed.)";
    return [...adapter.preambleSegments(context.tools ?? toolDefinitions), ...adapter.taskSegments(`${context.goal}${noted}${recent}${resumed}`)];
  };
  const stepCounts = [...new Set([context.recentSteps.length, 6, 3, 1, 0].filter((n) => n <= context.recentSteps.length))];
  const candidates = stepCounts.map((n) => digest(context.notes, n ? context.recentSteps.slice(-n) : []));
  if (context.notes.trim()) candidates.push(digest("", context.recentSteps.slice(-1)), digest("", []));
  const seen = new Set<string>();
  return candidates.filter((segments) => {
    const key = JSON.stringify(segments);
    return !seen.has(key) && (seen.add(key), true);
  });
}
