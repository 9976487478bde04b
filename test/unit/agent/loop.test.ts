// The agent loop's logic, driven by the replay policy (and scripted policies for model-like turns)
// over an in-memory workspace (see memoryWorkspace.ts for why it is not the real tools).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentRun, runAgentLoop } from "../../../extension/core/agent/loop";
import { PauseGate } from "../../../extension/core/agent/pauseGate";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";
import type { AgentEvent } from "../../../extension/core/agent/types";
import { callTurn, changesFiles, ListRecorder, options, roomy, ScriptedPolicy } from "./fakes";
import { MemoryWorkspace } from "./memoryWorkspace";

const trace = [
  { tool: "open_range", args: { path: "src/greet.ts" }, observation: "ignored by replay" },
  { tool: "notes", args: { action: "write" }, body: "plan: fix the greeting" },
  { tool: "replace_range", args: { path: "src/greet.ts", start: 2, end: 2, start_text: "  return", end_text: "  return" }, body: '  return "Hello, " + name;' },
  { tool: "run_task", args: { name: "test" } },
  { tool: "finish", args: {}, body: "Fixed the greeting." },
]
  .map((line) => JSON.stringify(line))
  .join("\n");

describe("agent loop with the replay policy", () => {
  it("replays a trace to its finish call: bytes change, steps are recorded, events tell the story", async () => {
    const workspace = new MemoryWorkspace({ "src/greet.ts": 'export function greet(name: string) {\n  return "Hi " + name;\n}\n' });
    const recorder = new ListRecorder();
    const events: AgentEvent[] = [];
    const end = await runAgentLoop(options({ policy: ReplayPolicy.fromTrace(trace), executor: workspace, recorder, onEvent: (e) => events.push(e) }));

    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.summary, "Fixed the greeting.");
    assert.equal(end.steps, 5);
    assert.equal(workspace.files.get("src/greet.ts"), 'export function greet(name: string) {\n  return "Hello, " + name;\n}\n');
    assert.deepEqual(
      recorder.steps.map((s) => [s.step, s.call?.tool, changesFiles(s)]),
      [
        [1, "open_range", false],
        [2, "notes", false],
        [3, "replace_range", true],
        [4, "run_task", true],
        [5, "finish", false],
      ],
    );
    const finished = events.filter((e) => e.type === "stepFinished");
    assert.deepEqual(
      finished.map((e) => [e.tool, e.commit]),
      [
        ["open_range", undefined],
        ["notes", undefined],
        ["replace_range", "c3"],
        ["run_task", "c4"],
        ["finish", undefined],
      ],
    );
    assert.equal(finished[2]?.type === "stepFinished" && finished[2].keyArgs, "path=src/greet.ts start=2 end=2 start_text=return end_text=return");
    assert.deepEqual(finished[2]?.type === "stepFinished" && finished[2].changedFiles, ["src/greet.ts"]);
    assert.deepEqual(finished[2]?.type === "stepFinished" && finished[2].diffStat, { files: 1, insertions: 1, deletions: 0 });
    assert.deepEqual(events.find((e) => e.type === "notesChanged"), { type: "notesChanged", notes: "plan: fix the greeting" });
    assert.equal(events.at(-1)?.type, "ended");
    assert.equal(events.filter((e) => e.type === "stepStarted").length, 5);
  });

  it("saves a state snapshot after every step where the recorder asks for one", async () => {
    const policy = new ScriptedPolicy([callTurn({ tool: "goal", args: {} }), callTurn({ tool: "notes", args: { action: "read" } }), callTurn({ tool: "finish", args: {}, body: "done" })]);
    const end = await runAgentLoop(options({ policy, executor: new MemoryWorkspace(), recorder: new ListRecorder() }));
    assert.equal(end.reason, "finished");
    assert.deepEqual(policy.savedStates, ["/snapshots/1.bin", "/snapshots/2.bin", "/snapshots/3.bin"]);
  });

  it("ends with an error when a replayed trace runs out without finishing", async () => {
    const workspace = new MemoryWorkspace({ "a.txt": "a" });
    const end = await runAgentLoop(options({ policy: ReplayPolicy.fromTrace('{"tool":"open_range","args":{"path":"a.txt"}}'), executor: workspace }));
    assert.equal(end.reason, "error");
    assert.match(end.message, /ended after 1 calls without a finish call/);
    assert.equal(end.steps, 1);
  });
});

describe("agent loop budgets", () => {
  it("stops at the step budget without running another call", async () => {
    const workspace = new MemoryWorkspace();
    workspace.runOutputChanges = true;
    const policy = new ScriptedPolicy([callTurn({ tool: "run_task", args: { name: "test" } })]);
    const end = await runAgentLoop(options({ policy, executor: workspace, budgets: { ...roomy, maxSteps: 3 } }));
    assert.equal(end.reason, "budget");
    assert.match(end.message, /step budget is spent: 3 of 3 steps/);
    assert.equal(workspace.executed.length, 3);
  });

  it("stops at the token budget, counting generated and appended tokens", async () => {
    const workspace = new MemoryWorkspace();
    workspace.runOutputChanges = true;
    // 45 generated + 5 observed per step: 100 tokens after two steps.
    const policy = new ScriptedPolicy([callTurn({ tool: "run_task", args: { name: "test" } }, 45)]);
    const end = await runAgentLoop(options({ policy, executor: workspace, budgets: { ...roomy, maxTokens: 100 } }));
    assert.equal(end.reason, "budget");
    assert.match(end.message, /token budget is spent: 100 of 100 tokens/);
    assert.equal(end.steps, 2);
    assert.equal(end.tokens, 100);
  });

  it("stops at the time budget", async () => {
    let now = 0;
    const workspace = new MemoryWorkspace();
    workspace.runOutputChanges = true;
    const policy = new ScriptedPolicy([
      async () => {
        now += 400; // each turn takes 400 fake ms; the budget is 1 s
        return callTurn({ tool: "run_task", args: { name: "test" } });
      },
    ]);
    const end = await runAgentLoop(options({ policy, executor: workspace, now: () => now, budgets: { ...roomy, maxMs: 1000 } }));
    assert.equal(end.reason, "budget");
    assert.match(end.message, /time budget/);
    assert.equal(end.steps, 3);
  });

  it("stops a real-time session whose model turn outlives the time budget", async () => {
    // A model turn that only ends when its signal aborts.
    const hanging = new ScriptedPolicy([]);
    hanging.next = (signal?: AbortSignal) =>
      new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("generation aborted")), { once: true }));
    const started = Date.now();
    const end = await runAgentLoop(options({ policy: hanging, executor: new MemoryWorkspace(), budgets: { ...roomy, maxMs: 150 } }));
    assert.equal(end.reason, "budget");
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});

describe("agent loop repeat detection", () => {
  it("stops when the same call gets the same observation repeatLimit times in a row", async () => {
    const workspace = new MemoryWorkspace({ "a.txt": "x" });
    const recorder = new ListRecorder();
    const policy = new ScriptedPolicy([callTurn({ tool: "open_range", args: { path: "a.txt" } })]);
    const end = await runAgentLoop(options({ policy, executor: workspace, recorder, budgets: { ...roomy, repeatLimit: 4 } }));
    assert.equal(end.reason, "repeat");
    assert.equal(end.steps, 4);
    assert.equal(recorder.steps.length, 4, "every step, the repeated ones too, is recorded");
    assert.match(end.message, /open_range path=a\.txt.*4 times in a row/);
  });

  it("does not count argument order as a difference, nor a changing observation as a repeat", async () => {
    const workspace = new MemoryWorkspace({ "a.txt": "x" });
    workspace.runOutputChanges = true;
    const runs = new ScriptedPolicy([
      callTurn({ tool: "run_task", args: { name: "t" } }),
      callTurn({ tool: "run_task", args: { name: "t" } }),
      callTurn({ tool: "run_task", args: { name: "t" } }),
      callTurn({ tool: "finish", args: {}, body: "ok" }),
    ]);
    assert.equal((await runAgentLoop(options({ policy: runs, executor: workspace }))).reason, "finished");

    const reordered = new ScriptedPolicy([
      callTurn({ tool: "open_range", args: { path: "a.txt", start: 1 } }),
      callTurn({ tool: "open_range", args: { start: 1, path: "a.txt" } }),
    ]);
    const end = await runAgentLoop(options({ policy: reordered, executor: workspace, budgets: { ...roomy, repeatLimit: 2 } }));
    assert.equal(end.reason, "repeat");
    assert.equal(end.steps, 2);
  });
});

describe("agent loop: bad output, failures, cancellation, pause", () => {
  it("turns an invalid call into an observation for the policy and runs nothing", async () => {
    const workspace = new MemoryWorkspace();
    const policy = new ScriptedPolicy([
      callTurn({ tool: "delete_everything", args: {} }),
      callTurn({ tool: "open_range", args: { path: "a.txt", start: 0 } }),
      { kind: "invalid", raw: "<tool_call>{oops", error: "unexpected end of input", tokens: 3, ms: 1 },
      callTurn({ tool: "finish", args: {}, body: "gave up" }),
    ]);
    const end = await runAgentLoop(options({ policy, executor: workspace }));
    assert.equal(end.reason, "finished");
    assert.deepEqual(workspace.executed.map((c) => c.tool), ["finish"], "no invalid call reached the executor");
    assert.equal(policy.observed.length, 3);
    assert.match(policy.observed[0]?.text ?? "", /there is no tool "delete_everything"; the tools are: open_range, find/);
    assert.match(policy.observed[1]?.text ?? "", /"start" is 0; the smallest allowed is 1/);
    assert.match(policy.observed[2]?.text ?? "", /unexpected end of input/);
    assert.ok(policy.observed.every((o) => !o.ok));
  });

  it("ends with an error, not an exception, when the policy fails", async () => {
    const policy = new ScriptedPolicy([
      async () => {
        throw new Error("model host exited with signal SIGSEGV");
      },
    ]);
    const events: AgentEvent[] = [];
    const end = await runAgentLoop(options({ policy, executor: new MemoryWorkspace(), onEvent: (e) => events.push(e) }));
    assert.equal(end.reason, "error");
    assert.equal(end.message, "the model failed: model host exited with signal SIGSEGV");
    assert.deepEqual(events.at(-1), { type: "ended", end });
  });

  it("ends with an error when recording a step fails", async () => {
    const recorder = new ListRecorder();
    recorder.recordStep = async () => {
      throw new Error("git commit failed: index.lock exists");
    };
    const end = await runAgentLoop(options({ policy: new ScriptedPolicy([callTurn({ tool: "goal", args: {} })]), executor: new MemoryWorkspace(), recorder }));
    assert.equal(end.reason, "error");
    assert.match(end.message, /recording the step failed: git commit failed/);
  });

  it("stops a running tool call when cancelled and reports it", async () => {
    const workspace = new MemoryWorkspace();
    workspace.hang = true;
    const stop = new AbortController();
    const policy = new ScriptedPolicy([callTurn({ tool: "run_task", args: { name: "slow" } })]);
    setTimeout(() => stop.abort(), 30);
    const end = await runAgentLoop(options({ policy, executor: workspace, signal: stop.signal }));
    assert.equal(end.reason, "cancelled");
    assert.equal(end.message, "you asked it to stop");
    assert.equal(end.steps, 0);
  });

  it("runs no step when cancelled before it starts", async () => {
    const workspace = new MemoryWorkspace();
    const end = await runAgentLoop(options({ policy: new ScriptedPolicy([callTurn({ tool: "goal", args: {} })]), executor: workspace, signal: AbortSignal.abort() }));
    assert.equal(end.reason, "cancelled");
    assert.equal(workspace.executed.length, 0);
  });

  it("pauses between steps and resumes", async () => {
    const workspace = new MemoryWorkspace();
    const pause = new PauseGate();
    const policy = new ScriptedPolicy([callTurn({ tool: "goal", args: {} }), callTurn({ tool: "finish", args: {}, body: "done" })]);
    pause.pause();
    const running = runAgentLoop(options({ policy, executor: workspace, pause }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(workspace.executed.length, 0, "nothing runs while paused");
    pause.resume();
    const end = await running;
    assert.equal(end.reason, "finished");
    assert.equal(workspace.executed.length, 2);
  });

  it("cuts an oversized observation and tells the model how to see the rest", async () => {
    const workspace = new MemoryWorkspace({ "big.txt": "x".repeat(5000) });
    const policy = new ScriptedPolicy([callTurn({ tool: "open_range", args: { path: "big.txt" } }), callTurn({ tool: "finish", args: {}, body: "ok" })]);
    await runAgentLoop(options({ policy, executor: workspace, maxObservationChars: 1000 }));
    const text = policy.observed[0]?.text ?? "";
    assert.equal(text.split("\n")[0]?.length, 1000);
    assert.match(text, /4003 more characters cut; narrow the request/);
  });
});

describe("agent run handles", () => {
  it("pauses, resumes and stops a session, telling listeners", async () => {
    const workspace = new MemoryWorkspace();
    workspace.runOutputChanges = true;
    const policy = new ScriptedPolicy([
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        return callTurn({ tool: "run_task", args: { name: "test" } });
      },
    ]);
    const run = new AgentRun(options({ policy, executor: workspace }));
    const events: AgentEvent["type"][] = [];
    run.onEvent((e) => events.push(e.type));
    await new Promise((r) => setTimeout(r, 30));
    run.pause();
    await new Promise((r) => setTimeout(r, 100)); // the step in flight, if any, finishes
    const whilePaused = workspace.executed.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(workspace.executed.length, whilePaused, "no new step starts while paused");
    run.resume();
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(workspace.executed.length > whilePaused, "steps continue after resume");
    const end = await run.stop();
    assert.equal(end.reason, "cancelled");
    assert.ok(events.includes("paused") && events.includes("resumed"));
    assert.equal(events.at(-1), "ended");
  });
});
