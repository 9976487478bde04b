// The loop over the real core tool executor (extension/core/tools/registry.ts) with the real
// session tools (notes, goal, finish): no stand-in between the loop and the tools here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";
import type { AgentEvent } from "../../../extension/core/agent/types";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { createToolExecutor, type SessionState } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import { ListRecorder } from "./fakes";

const budgets = { maxSteps: 20, maxTokens: 100_000, maxMs: 60_000, repeatLimit: 3 };

function lines(...calls: object[]): string {
  return calls.map((c) => JSON.stringify(c)).join("\n");
}

describe("agent loop over the real session tools", () => {
  it("replays notes, goal and finish: the tools' own observations reach the policy and the recorder", async () => {
    const session: SessionState = { goal: "Fix the greeting (issue #42)", notes: "" };
    const executor = createToolExecutor({ implementations: sessionTools(), session, isTrusted: () => true });
    const policy = ReplayPolicy.fromTrace(
      lines(
        { tool: "notes", args: { action: "write" }, body: "1. read greet.ts" },
        { tool: "notes", args: { action: "append" }, body: "2. fix the comma" },
        { tool: "goal", args: {} },
        { tool: "finish", args: {}, body: "" },
        { tool: "finish", args: {}, body: "Fixed the comma in greet()." },
      ),
    );
    const recorder = new ListRecorder();
    const events: AgentEvent[] = [];
    const end = await runAgentLoop({ task: session.goal, tools: toolDefinitions, policy, executor, recorder, budgets, onEvent: (e) => events.push(e) });

    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.summary, "Fixed the comma in greet().");
    assert.equal(session.finished, "Fixed the comma in greet().");
    assert.equal(session.notes, "1. read greet.ts\n2. fix the comma");
    assert.deepEqual(
      policy.observations.map((o) => [o.ok, o.text]),
      [
        [true, "notes replaced (16 characters)"],
        [true, "notes appended (33 characters)"],
        [true, "Fix the greeting (issue #42)"],
        [false, "finish needs a summary for the user in its body"],
      ],
      "an empty finish is refused by the tool and the session goes on",
    );
    assert.equal(recorder.steps.length, 5);
    const notesEvents = events.filter((e) => e.type === "notesChanged");
    assert.deepEqual(notesEvents.at(-1), { type: "notesChanged", notes: session.notes }, "the panel's notes match the tool's");
  });

  it("stops a model stuck re-reading its goal within the configured limit", async () => {
    const session: SessionState = { goal: "g", notes: "" };
    const executor = createToolExecutor({ implementations: sessionTools(), session, isTrusted: () => true });
    const policy = new ReplayPolicy(Array.from({ length: 50 }, () => ({ tool: "goal", args: {} })));
    const end = await runAgentLoop({ task: "g", tools: toolDefinitions, policy, executor, budgets: { ...budgets, repeatLimit: 5 } });
    assert.equal(end.reason, "repeat");
    assert.equal(end.steps, 5);
  });
});
