import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toolDefinitions, requireTool } from "../../../extension/core/tools/definitions";
import { describeCall, toolDocumentation } from "../../../extension/core/tools/docs";
import { runProcess } from "../../../extension/core/tools/processRunner";
import { createToolExecutor, type SessionState, type ToolImplementation } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import { validateCall } from "../../../extension/core/tools/validate";

function executor(implementations: ToolImplementation[], trusted = true, session: SessionState = { goal: "fix the bug", notes: "" }) {
  return createToolExecutor({ implementations, session, isTrusted: () => trusted });
}

describe("the registry", () => {
  it("defines each tool once, with documented parameters", () => {
    const names = toolDefinitions.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    const docs = toolDocumentation(toolDefinitions);
    for (const t of toolDefinitions) assert.ok(docs.includes(`## ${t.name}`));
    assert.ok(docs.includes("- start_text (string"));
  });
  it("explains invalid arguments and what would be valid", () => {
    const check = (args: Record<string, string | number | boolean>, body?: string) => {
      const r = validateCall({ tool: "replace_range", args, body }, toolDefinitions);
      return r.ok ? "ok" : r.error;
    };
    const good = { path: "a.ts", start: 1, end: 2, start_text: "a", end_text: "b" };
    assert.equal(check(good, "x"), "ok");
    assert.match(check({ ...good, start: 0 }), /"start" is 0; the smallest allowed is 1/);
    assert.match(check({ ...good, start: 1.5 }), /whole number/);
    assert.match(check({ ...good, colour: "red" }), /no parameter "colour"; its parameters are: path: string, start: integer/);
    const { path: _p, ...noPath } = good;
    assert.match(check(noPath), /"path" is missing/);
    const unknown = validateCall({ tool: "rm", args: {} }, toolDefinitions);
    assert.ok(!unknown.ok && unknown.error.includes("the tools are: open_range, find"));
    const noBody = validateCall({ tool: "finish", args: {} }, toolDefinitions);
    assert.ok(!noBody.ok && noBody.error.includes("needs a body"));
  });
  it("describes a call in one line for the task panel", () => {
    assert.equal(describeCall({ tool: "replace_range", args: { path: "a.ts", start: 3, end: 5 }, body: "x\ny" }), "replace_range a.ts 3 5 (+2 line body)");
  });
});

describe("the executor", () => {
  const throwing: ToolImplementation = { definition: requireTool("outline"), run: async () => { throw new Error("disk on fire"); } };
  const runner: ToolImplementation = { definition: requireTool("run_task"), run: async () => ({ ok: true, text: "ran" }) };
  it("turns an exception into a failure observation", async () => {
    const o = await executor([throwing]).execute({ tool: "outline", args: { path: "." } });
    assert.deepEqual([o.ok, o.text], [false, "outline failed: disk on fire. Nothing was changed."]);
  });
  it("refuses tools that run code in Restricted Mode, saying why", async () => {
    const o = await executor([runner], false).execute({ tool: "run_task", args: { name: "build" } });
    assert.equal(o.ok, false);
    assert.match(o.text, /Restricted Mode/);
    assert.equal((await executor([runner], true).execute({ tool: "run_task", args: { name: "build" } })).text, "ran");
  });
  it("validates before running", async () => {
    let ran = false;
    const spy: ToolImplementation = { definition: requireTool("outline"), run: async () => ((ran = true), { ok: true, text: "" }) };
    const o = await executor([spy]).execute({ tool: "outline", args: {} });
    assert.equal(o.ok, false);
    assert.equal(ran, false);
  });
  it("keeps notes, re-reads the goal and finishes", async () => {
    const session: SessionState = { goal: "fix the bug", notes: "" };
    const e = executor(sessionTools(), true, session);
    await e.execute({ tool: "notes", args: { action: "write" }, body: "plan: a" });
    await e.execute({ tool: "notes", args: { action: "append" }, body: "then b" });
    assert.equal((await e.execute({ tool: "notes", args: { action: "read" } })).text, "plan: a\nthen b");
    assert.equal((await e.execute({ tool: "notes", args: { action: "append" } })).ok, false);
    assert.equal((await e.execute({ tool: "notes", args: { action: "write" }, body: "x".repeat(9000) })).ok, false);
    assert.equal(session.notes, "plan: a\nthen b");
    assert.equal((await e.execute({ tool: "goal", args: {} })).text, "fix the bug");
    assert.equal((await e.execute({ tool: "finish", args: {}, body: "done: fixed it" })).ok, true);
    assert.equal(session.finished, "done: fixed it");
  });
});

describe("running a task's process", () => {
  it("returns the exit code and the output", async () => {
    const o = await runProcess({ command: "echo out; echo err >&2; exit 3", shell: true, cwd: process.cwd() }, { timeoutMs: 10_000 });
    assert.equal(o.exitCode, 3);
    assert.match(o.output, /out/);
    assert.match(o.output, /err/);
  });
  it("kills the whole process group at the timeout", async () => {
    const started = Date.now();
    const o = await runProcess({ command: "sleep 30 & sleep 30; echo never", shell: true, cwd: process.cwd() }, { timeoutMs: 500 });
    assert.equal(o.timedOut, true);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.doesNotMatch(o.output, /never/);
  });
  it("keeps the head and tail of long output", async () => {
    const o = await runProcess({ command: "seq 1 100000", shell: true, cwd: process.cwd() }, { timeoutMs: 10_000 });
    assert.match(o.output, /^1\n2\n/);
    assert.match(o.output, /characters left out/);
    assert.match(o.output, /100000\n$/);
  });
});

describe("the body size limit", () => {
  it("refuses a body over the limit before the tool runs, saying how large it was and what the limit is", async () => {
    let ran = 0;
    const create: ToolImplementation = { definition: requireTool("create_file"), run: async () => (ran++, { ok: true, text: "created" }) };
    const limited = createToolExecutor({ implementations: [create], session: { goal: "", notes: "" }, isTrusted: () => true, maxBodyBytes: 1024 * 1024 });
    const big = await limited.execute({ tool: "create_file", args: { path: "big.txt" }, body: "x".repeat(5 * 1024 * 1024) });
    assert.equal(big.ok, false);
    assert.match(big.text, /create_file was refused: its body is 5\.0 MB, over the 1\.0 MB limit \(setting infiniteToolUse\.tools\.maxBodyBytes\)\. Nothing was changed/);
    assert.equal(ran, 0);
    // Bytes, not characters: 400 K three-byte characters are 1.2 MB.
    assert.equal((await limited.execute({ tool: "create_file", args: { path: "u.txt" }, body: "✓".repeat(400_000) })).ok, false);
    assert.equal((await limited.execute({ tool: "create_file", args: { path: "ok.txt" }, body: "x".repeat(1024 * 1024) })).ok, true);
    assert.equal(ran, 1);
    const byDefault = executor([create]);
    assert.equal((await byDefault.execute({ tool: "create_file", args: { path: "d.txt" }, body: "x".repeat(1024 * 1024 + 1) })).ok, false);
  });
});
