// How a session's end reads: one sentence, "stopped" said once, and a repeat names the call and, for
// output that was no valid tool call, what it was and why it was refused. Driven through the real loop.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeSessionEnd } from "../../../extension/core/agent/endMessage";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { callTurn, options, roomy, ScriptedPolicy } from "./fakes";
import { MemoryWorkspace } from "./memoryWorkspace";

describe("session end messages", () => {
  it("explains a repeated invalid output: which output and why it is not a valid call", async () => {
    const policy = new ScriptedPolicy([{ kind: "invalid", raw: "open_range(path=\n  a.txt", error: "the output is not a tool call: expected ')' at 2:8", tokens: 3, ms: 1 }]);
    const end = await runAgentLoop(options({ policy, executor: new MemoryWorkspace({ "a.txt": "x" }) }));
    assert.equal(end.reason, "repeat");
    const text = describeSessionEnd(end);
    assert.equal(text, "Session stopped after 3 steps: the model wrote the same invalid tool call 3 times in a row (the output is not a tool call: expected ')' at 2:8): open_range(path= a.txt.");
    assert.equal(text.match(/stopped/gi)?.length, 1, "stopped is said once");
  });

  it("names a repeated call that validates against no tool, and a repeated failing call with its error", async () => {
    const unknown = await runAgentLoop(options({ policy: new ScriptedPolicy([callTurn({ tool: "frobnicate", args: { x: 1 } })]), executor: new MemoryWorkspace() }));
    assert.match(describeSessionEnd(unknown), /^Session stopped after 3 steps: the model wrote the same invalid tool call 3 times in a row \(there is no tool "frobnicate"\): \{"tool":"frobnicate","args":\{"x":1\}\}\.$/);
    const failing = await runAgentLoop(options({ policy: new ScriptedPolicy([callTurn({ tool: "open_range", args: { path: "gone.txt" } })]), executor: new MemoryWorkspace(), budgets: { ...roomy, repeatLimit: 2 } }));
    assert.match(describeSessionEnd(failing), /^Session stopped after 2 steps: the model made the same failing call \(open_range path=gone\.txt\) 2 times in a row \(.+\)$/);
  });

  it("reads as one sentence for every other end", () => {
    const base = { tokens: 0, elapsedMs: 0 };
    assert.equal(describeSessionEnd({ ...base, reason: "finished", message: "the model finished the task", summary: "Renamed greet", steps: 1 }), "Session finished after 1 step: Renamed greet.");
    assert.equal(describeSessionEnd({ ...base, reason: "cancelled", message: "you asked it to stop", steps: 2 }), "Session stopped after 2 steps: you asked it to stop.");
    assert.equal(describeSessionEnd({ ...base, reason: "budget", message: "the step budget is spent: 3 of 3 steps", steps: 3 }), "Session stopped after 3 steps: the step budget is spent: 3 of 3 steps.");
    assert.equal(describeSessionEnd({ ...base, reason: "error", message: "the model failed: boom", steps: 0 }), "Session failed after 0 steps: the model failed: boom.");
  });
});
