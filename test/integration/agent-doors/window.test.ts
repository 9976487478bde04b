// A transformer whose window fills mid-session, inside a real VS Code: the session goes on, re-primed
// with the goal, the notes and the recent steps, instead of failing or shifting its context silently.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as vscode from "vscode";
import { activate, initRepository } from "../agent/support";

describe("a transformer's full window", function () {
  it("is re-primed deliberately and the session continues", async function () {
    this.timeout(300_000);
    initRepository();
    const api = await activate();
    const models = join(process.env.ITU_RUN_DIR ?? "", "models");
    execFileSync(process.execPath, [join(process.env.ITU_REPO_ROOT ?? "", "dist-test/tools/generate-models.mjs"), models], { stdio: "ignore" });
    const config = vscode.workspace.getConfiguration("infiniteToolUse");
    const window = 6144;
    await config.update("model.path", join(models, "tiny-llama.gguf"), vscode.ConfigurationTarget.Workspace);
    await config.update("model.contextSize", window, vscode.ConfigurationTarget.Workspace);
    await config.update("sampling.temperature", 1, vscode.ConfigurationTarget.Workspace);
    await config.update("budget.repeatLimit", 100_000, vscode.ConfigurationTarget.Workspace);
    await config.update("budget.maxTokens", 3 * window, vscode.ConfigurationTarget.Workspace);
    try {
      const running = await api.workbench.start("Add subtract() next to add()");
      const end = await running.done;
      // Only a token budget stops it: more than the window went through the model without an error.
      assert.equal(end.reason, "budget", end.message);
      assert.ok(end.tokens > window, `only ${end.tokens} tokens went through a ${window}-token window`);
    } finally {
      for (const key of ["model.path", "model.contextSize", "sampling.temperature", "budget.repeatLimit", "budget.maxTokens"]) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
