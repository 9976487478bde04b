// What a model whose window filled (transformers, hybrids; recurrent models never fill) is re-primed
// with: the goal, the notes and the recent steps. The session run keeps it current as steps finish.
import { stepDigestLine, type StepView } from "./stepView";

export interface WindowContext {
  readonly goal: string;
  readonly notes: string;
  /** One line per recent step, oldest first. */
  readonly recentSteps: readonly string[];
}

const recentStepsInDigest = 12;

export class WindowContextTracker {
  private readonly steps: string[] = [];

  constructor(
    private readonly goal: string,
    private notes = "",
  ) {}

  step(view: StepView): void {
    this.steps.push(stepDigestLine(view));
    if (this.steps.length > recentStepsInDigest) this.steps.shift();
  }

  setNotes(notes: string): void {
    this.notes = notes;
  }

  context(): WindowContext {
    return { goal: this.goal, notes: this.notes, recentSteps: [...this.steps] };
  }
}
