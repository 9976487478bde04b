// Stops a model stuck in a loop: the same call answered by the same observation N times in a row.
// A repeated call whose observation changes (a test run after an edit) is progress, not a loop.
import type { Observation, ToolCall } from "../tools/types";

export class RepeatDetector {
  private lastKey: string | undefined;
  private count = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 2) throw new Error(`the repeat limit must be an integer of at least 2, got ${limit}`);
  }

  /** Records one step; returns how many times in a row it has now been seen. */
  record(call: ToolCall | string, observation: Observation): number {
    const key = JSON.stringify([typeof call === "string" ? call : canonicalCall(call), observation.ok, observation.text]);
    this.count = key === this.lastKey ? this.count + 1 : 1;
    this.lastKey = key;
    return this.count;
  }

  get tripped(): boolean {
    return this.count >= this.limit;
  }
}

/** Argument order must not make two identical calls look different. */
function canonicalCall(call: ToolCall): unknown {
  const args = Object.keys(call.args)
    .sort()
    .map((k) => [k, call.args[k]]);
  return [call.tool, args, call.body ?? null];
}
