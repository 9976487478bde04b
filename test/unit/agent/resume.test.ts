// Resuming in the agent core: where a recorded session continues (planResume), the notes rebuilt
// from its trace, and the loop carrying on at the next step number with a replayed or scripted policy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";
import { endedByLastStep, notesFromSteps, planResume, type RecordedTurn } from "../../../extension/core/agent/resume";
import type { AgentEvent } from "../../../extension/core/agent/types";
import type { ToolCall } from "../../../extension/core/tools/types";
import { ListRecorder, ScriptedPolicy, callTurn, options, roomy } from "./fakes";
import { MemoryWorkspace } from "./memoryWorkspace";

const ok = (text: string) => ({ ok: true, text });

const calls: ToolCall[] = [
  { tool: "notes", args: { action: "write" }, body: "plan: fix greet" },
  { tool: "open_range", args: { path: "src/greet.ts" } },
  { tool: "notes", args: { action: "append" }, body: "line 2 is wrong" },
  { tool: "replace_range", args: { path: "src/greet.ts", start: 2, end: 2, start_text: "  return", end_text: "  return" }, body: '  return "Hello, " + name;' },
  { tool: "finish", args: {}, body: "Fixed the greeting." },
];
const recorded: RecordedTurn[] = [
  { call: calls[0]!, observation: ok("notes replaced"), effect: "writes" },
  { call: calls[1]!, observation: ok("1 export function greet"), effect: "reads" },
  { call: calls[2]!, observation: ok("notes appended"), effect: "writes" },
];

describe("planResume", () => {
  it("continues after the last step, re-appending only the steps after the restored state", () => {
    const plan = planResume(recorded, 1);
    assert.equal(plan.completedSteps, 3);
    assert.equal(plan.stateRestored, true);
    assert.deepEqual(plan.turns.map((t) => t.call), [calls[1], calls[2]]);
    assert.equal(plan.notes, "plan: fix greet\nline 2 is wrong");
  });

  it("without a restored state re-appends every step; with the last step's state none", () => {
    assert.equal(planResume(recorded, undefined).stateRestored, false);
    assert.equal(planResume(recorded, undefined).turns.length, 3);
    assert.equal(planResume(recorded, 3).turns.length, 0);
  });

  it("refuses a restored state from beyond the recorded steps", () => {
    assert.throws(() => planResume(recorded, 4), /step 4.*steps 1-3/);
    assert.throws(() => planResume(recorded, -1), /step -1/);
  });

  it("rebuilds the notes as the notes tool left them: failed and read calls change nothing", () => {
    const steps: RecordedTurn[] = [
      ...recorded,
      { call: { tool: "notes", args: { action: "append" }, body: "too long" }, observation: { ok: false, text: "the notes would be too long" } },
      { call: { tool: "notes", args: { action: "read" } }, observation: ok("plan: fix greet") },
      { call: { tool: "notes", args: { action: "write" }, body: "start over" }, observation: ok("notes replaced") },
    ];
    assert.equal(notesFromSteps(steps), "start over");
    assert.equal(notesFromSteps(steps.slice(0, 5)), "plan: fix greet\nline 2 is wrong");
  });

  it("sees a session whose last step was a successful finish as ended", () => {
    assert.equal(endedByLastStep(recorded), false);
    assert.equal(endedByLastStep([...recorded, { call: calls[4]!, observation: ok("finished"), effect: "ends" }]), true);
    assert.equal(endedByLastStep([...recorded, { call: calls[4]!, observation: { ok: false, text: "not yet" }, effect: "ends" }]), false);
  });
});

describe("the loop resuming a recorded session", () => {
  it("replays the remaining calls as steps 4-5 with the notes restored, and counts the session's steps", async () => {
    const workspace = new MemoryWorkspace({ "src/greet.ts": 'export function greet(name: string) {\n  return "Hi " + name;\n}\n' });
    const recorder = new ListRecorder();
    const events: AgentEvent[] = [];
    const end = await runAgentLoop(options({
      policy: new ReplayPolicy([...calls.slice(0, 3), calls[3]!, calls[4]!]),
      executor: workspace,
      recorder,
      onEvent: (e) => events.push(e),
      resume: planResume(recorded, undefined),
    }));
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 5);
    assert.deepEqual(recorder.steps.map((s) => s.step), [4, 5]);
    assert.deepEqual(workspace.executed.map((c) => c.tool), ["replace_range", "finish"]);
    assert.equal(workspace.files.get("src/greet.ts"), 'export function greet(name: string) {\n  return "Hello, " + name;\n}\n');
    assert.deepEqual(events.filter((e) => e.type === "stepStarted").map((e) => (e.type === "stepStarted" ? e.step : 0)), [4, 5]);
    assert.deepEqual(events[0], { type: "notesChanged", notes: "plan: fix greet\nline 2 is wrong" });
  });

  it("counts the step budget from the resume: a session stopped at its budget can go on", async () => {
    const recorder = new ListRecorder();
    const end = await runAgentLoop(options({
      policy: new ReplayPolicy(Array.from({ length: 8 }, (): ToolCall => ({ tool: "goal", args: {} }))),
      executor: new MemoryWorkspace(),
      recorder,
      budgets: { ...roomy, maxSteps: 2, repeatLimit: 10 },
      resume: { completedSteps: 3, stateRestored: true, turns: [], notes: "" },
    }));
    assert.equal(end.reason, "budget", end.message);
    assert.deepEqual(recorder.steps.map((s) => s.step), [4, 5]);
    assert.equal(end.steps, 5);
  });

  it("ends with an error and records nothing when the policy cannot resume", async () => {
    const recorder = new ListRecorder();
    const policy = new ScriptedPolicy([callTurn({ tool: "goal", args: {} })]);
    const end = await runAgentLoop(options({ policy, executor: new MemoryWorkspace(), recorder, resume: planResume(recorded, undefined) }));
    assert.equal(end.reason, "error");
    assert.match(end.message, /the scripted policy cannot resume a session/);
    assert.equal(recorder.steps.length, 0);
  });

  it("ends with an error when the replayed trace is shorter than the recorded session", async () => {
    const recorder = new ListRecorder();
    const end = await runAgentLoop(options({ policy: new ReplayPolicy(calls.slice(0, 2)), executor: new MemoryWorkspace(), recorder, resume: planResume(recorded, undefined) }));
    assert.equal(end.reason, "error");
    assert.match(end.message, /already has 3 steps; the replayed trace has only 2 calls/);
    assert.equal(recorder.steps.length, 0);
  });
});
