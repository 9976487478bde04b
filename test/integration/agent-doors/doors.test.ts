// The ways into a session, inside a real VS Code: Solve Issue from a local issue file and from a
// GitHub server on 127.0.0.1 (the API base is the setting), and the task panel with a real (tiny)
// model in llama.cpp: type a task, Start, watch cards arrive, Stop; the branch holds what the
// timeline showed.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { startFakeGithub, type FakeGithub } from "../../support/fakeGithub";
import { activate, git, initRepository, showPanel, traces } from "../agent/support";
import { until } from "../support/vscode";

const replay = join(traces, "add-subtract.jsonl");

describe("doors into a session", function () {
  let api: ExtensionApi;
  let github: FakeGithub;

  before(async () => {
    initRepository();
    git("remote", "add", "origin", "https://github.com/octo-org/hello-world.git");
    github = await startFakeGithub();
    await vscode.workspace.getConfiguration("infiniteToolUse").update("github.apiUrl", github.url, vscode.ConfigurationTarget.Workspace);
    api = await activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration("infiniteToolUse").update("github.apiUrl", undefined, vscode.ConfigurationTarget.Workspace);
    await github?.close();
  });

  async function headerTask(branch: string): Promise<string> {
    const running = api.workbench.current;
    if (running?.session.branch === branch) await running.done;
    const store = (await api.sessions.stores())[0];
    const info = (await store.list()).find((s) => s.branch === branch);
    assert.ok(info, `no session on ${branch}`);
    return info.task;
  }

  it("starts a session from a local issue file: the issue is the task, its number names the branch", async () => {
    const branch = await vscode.commands.executeCommand<string>("infiniteToolUse.solveIssue", { kind: "file", path: "issues/subtract.md" }, { replay });
    assert.match(branch, /^infinite\/\d{4}-\d\d-\d\d-issue-12-add-a-subtract-function$/);
    const task = await headerTask(branch);
    assert.equal(task, "Add a subtract function (issue #12)\n\n`src/math.js` has `add()` but no `subtract()`. Add it next to `add()` and cover it with a test.");
  });

  it("starts a session from a GitHub issue served on 127.0.0.1", async () => {
    const branch = await vscode.commands.executeCommand<string>("infiniteToolUse.solveIssue", { kind: "github", number: 42 }, { replay });
    assert.match(branch, /^infinite\/\d{4}-\d\d-\d\d-issue-42-greeting-drops-the-comma$/);
    const task = await headerTask(branch);
    assert.match(task, /^Greeting drops the comma \(issue #42\)\n\n`greet\("Ada"\)` returns `Hello Ada`/);
    assert.equal(github.requests.at(-1)?.url, "/repos/octo-org/hello-world/issues/42");
  });

  it("runs a real model from the panel: cards arrive live, Stop ends it, the branch holds what the timeline showed", async function () {
    this.timeout(240_000);
    const models = join(process.env.ITU_RUN_DIR ?? "", "models");
    execFileSync(process.execPath, [join(process.env.ITU_REPO_ROOT ?? "", "dist-test/tools/generate-models.mjs"), models], { stdio: "ignore" });
    const config = vscode.workspace.getConfiguration("infiniteToolUse");
    await config.update("model.path", join(models, "tiny-mamba2.gguf"), vscode.ConfigurationTarget.Workspace);
    await config.update("sampling.temperature", 1, vscode.ConfigurationTarget.Workspace);
    await config.update("budget.repeatLimit", 50, vscode.ConfigurationTarget.Workspace);
    await showPanel(api);

    await api.taskPanel.testWebview({ kind: "typeTask", text: "Add subtract() next to add()" });
    await api.taskPanel.testWebview({ kind: "press", control: "start" });
    const running = await until("the session to start", () => api.workbench.current, 60_000, 200);
    const live = await until("three cards in the panel", async () => {
      const view = await api.taskPanel.testWebview({ kind: "describe" });
      return view.cards.length >= 3 ? view : undefined;
    }, 180_000, 200);
    assert.ok(live.enabled.stop, "Stop is enabled while the session runs");
    await api.taskPanel.testWebview({ kind: "press", control: "stop" });
    const end = await running.done;
    assert.equal(end.reason, "cancelled", end.message);

    const view = await api.taskPanel.testWebview({ kind: "describe" });
    const trace = (await running.session.readTrace()).steps;
    assert.equal(view.cards.length, trace.length, "one card per recorded step");
    view.cards.forEach((card, i) => {
      assert.equal(card.step, trace[i].step);
      assert.match(card.text, new RegExp(`^#${trace[i].step} ${trace[i].call.tool.replace(/[()]/g, "\\$&")}\\b`));
      const commit = trace[i].commit;
      if (commit) assert.ok(card.text.includes(commit.slice(0, 7)), `card ${card.step} shows commit ${commit.slice(0, 7)}: ${card.text}`);
    });
    const commits = trace.filter((s) => s.commit).length;
    assert.equal(git("rev-list", "--count", `main..${running.session.branch}`).trim(), String(commits));
  });
});
