// The tools that depend on other processes: the TypeScript language service and tasks.json tasks.
import * as assert from "node:assert/strict";
import type { Observation } from "../../../extension/core/tools/types";
import type { HostToolExecutor } from "../../../extension/host/tools";
import { call, createExecutor, workspace } from "./support";

/** The TypeScript server starts on first use; ask again until it has answered or time runs out. */
async function diagnosticsUntil(tools: HostToolExecutor, path: string, accept: (o: Observation) => boolean, ms = 90_000): Promise<Observation> {
  const started = Date.now();
  let last: Observation;
  do {
    last = await call(tools, { tool: "read_diagnostics", args: { path } }, true);
    if (accept(last)) return last;
  } while (Date.now() - started < ms);
  assert.fail(`read_diagnostics never gave the expected answer; last: ${last.text}`);
}

describe("tools: language servers and tasks", function () {
  this.timeout(180_000);
  let tools: HostToolExecutor;
  before(async () => {
    tools = await createExecutor({ taskTimeoutMs: 3000 });
  });
  after(() => tools.dispose());

  it("reports exactly the type error an edit introduced, from the real TypeScript service, and the fix clears it", async () => {
    const clean = await diagnosticsUntil(tools, "ts/main.ts", (o) => o.text === "No problems reported.", 20_000);
    assert.equal(clean.text, "No problems reported.");
    await call(tools, { tool: "replace_range", args: { path: "ts/main.ts", start: 5, end: 5, start_text: "export const four", end_text: "export const four" }, body: 'export const four: number = double("2");' }, true);
    const broken = await diagnosticsUntil(tools, "ts/main.ts", (o) => o.text !== "No problems reported.");
    assert.match(broken.text, /^1 problem \(1 error\); 1 new since the session began:\nnew ts\/main\.ts:5:36 error ts 2345: Argument of type 'string' is not assignable to parameter of type 'number'\.$/);
    await call(tools, { tool: "replace_range", args: { path: "ts/main.ts", start: 5, end: 5, start_text: "export const four", end_text: "export const four" }, body: "export const four: number = double(2);" }, true);
    await diagnosticsUntil(tools, "ts/main.ts", (o) => o.text === "No problems reported.");
  });

  it("says when the file to check does not exist", async () => {
    const o = await call(tools, { tool: "read_diagnostics", args: { path: "ts/nope.ts" } }, false);
    assert.equal(o.text, "ts/nope.ts does not exist; leave out the path for the whole workspace");
  });

  it("runs a tasks.json task and returns its exit code and output", async () => {
    const o = await call(tools, { tool: "run_task", args: { name: "say-hello" } }, true);
    assert.match(o.text, /^task "say-hello": exit code 0 after [\d.]+ s\.\nOutput:\nhello from the task\nin (.+)\n?$/);
    assert.ok(o.text.includes(`in ${workspace()}`), o.text);
    const failed = await call(tools, { tool: "run_task", args: { name: "fail-7" } }, false);
    assert.match(failed.text, /exit code 7/);
    assert.match(failed.text, /about to fail/);
  });

  it("kills a task that hangs at its timeout", async () => {
    const started = Date.now();
    const o = await call(tools, { tool: "run_task", args: { name: "hang" } }, false);
    assert.match(o.text, /^task "hang" was killed after its 3 s timeout\.\nOutput:\nhanging/);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });

  it("refuses a task name the user did not define", async () => {
    const o = await call(tools, { tool: "run_task", args: { name: "rm -rf /" } }, false);
    assert.match(o.text, /there is no task named "rm -rf \/"; the user's tasks are: .*say-hello/);
  });
});
