// Replays recorded calls in order: a user feature (re-run a session on today's code) and the way the
// tests drive the whole product deterministically. It spends no tokens.
import type { Observation, ToolCall } from "../tools/types";
import { parseReplayScript } from "../sessions/traceFormat";
import type { Policy, PolicyResume, PolicyTurn } from "./types";

export class ReplayPolicy implements Policy {
  readonly name = "replay";
  private position = 0;
  /** What each replayed call led to, in order (useful to compare a replay with its recording). */
  readonly observations: Observation[] = [];

  constructor(private readonly calls: readonly ToolCall[]) {}

  static fromTrace(text: string, source?: string): ReplayPolicy {
    return new ReplayPolicy(parseReplayScript(text, source));
  }

  async start(): Promise<{ tokens: number }> {
    this.position = 0;
    return { tokens: 0 };
  }

  /** A resumed session continues with the calls it had not yet replayed. */
  async resume({ completedSteps }: Pick<PolicyResume, "completedSteps">): Promise<{ tokens: number }> {
    if (completedSteps > this.calls.length) throw new Error(`the session already has ${completedSteps} steps; the replayed trace has only ${this.calls.length} calls`);
    this.position = completedSteps;
    return { tokens: 0 };
  }

  async next(): Promise<PolicyTurn> {
    const call = this.calls[this.position];
    if (!call) return { kind: "exhausted", message: `the replayed trace ended after ${this.calls.length} calls without a finish call` };
    this.position++;
    return { kind: "call", call, tokens: 0, ms: 0 };
  }

  async observe(observation: Observation): Promise<{ tokens: number }> {
    this.observations.push(observation);
    return { tokens: 0 };
  }
}
