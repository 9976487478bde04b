// The integration launcher must fail the run when a test fails, when the extension host crashes,
// and when the tests hang. Each case launches a real VS Code (code-server + chromium) on the
// self-test group with a switch that only that group reads.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = process.cwd();
const launcher = join(root, "dist-test/harness/run-integration.js");
const codeServer = join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");

function launch(mode: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [launcher, "selftest"], {
    env: { ...process.env, ITU_SELFTEST: mode, ...extraEnv },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("integration launcher self-test", { skip: !existsSync(codeServer) && process.env.CI !== "true" ? "code-server not installed (npm run setup)" : false }, () => {
  it("passes a passing run", () => {
    const run = launch("pass");
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /integration: 1 passed, 0 failed/);
  });

  it("fails on a failing test", () => {
    const run = launch("fail");
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /deliberate failure/);
  });

  it("fails when the extension host crashes", () => {
    const run = launch("crash");
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /extension host crashed|the tests never completed/);
  });

  it("fails when the tests hang", () => {
    const run = launch("hang", { ITU_GROUP_TIMEOUT_MS: "15000" });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /hang/);
  });
});
