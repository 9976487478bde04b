// Solve Issue inside a real VS Code: the issue's title and body become the task and its number names
// the branch, from the 127.0.0.1 GitHub server (the API base is the setting) and from a local
// Markdown issue file; the command palette's picker is driven through VS Code's own commands.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as vscode from "vscode";
import { branchSlug, taskText } from "../../../extension/core/issues/task";
import { pickIssueTask, solveIssueFrom } from "../../../extension/host/solveIssue";
import { startFakeGithub, type FakeGithub } from "../../support/fakeGithub";
import { screenshot } from "../support/browser";
import { until } from "../support/vscode";

const workspace = process.env.ITU_WORKSPACE ?? "";

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: workspace, encoding: "utf8" });
}

describe("Solve Issue", () => {
  let github: FakeGithub;

  before(async () => {
    assert.ok(workspace, "ITU_WORKSPACE is not set");
    git("init", "-q", "-b", "main");
    git("remote", "add", "origin", "git@github.com:octo-org/hello-world.git");
    github = await startFakeGithub();
    await vscode.workspace.getConfiguration("infiniteToolUse").update("github.apiUrl", github.url, vscode.ConfigurationTarget.Workspace);
    await vscode.extensions.getExtension("infinite-tool-use.infinite-tool-use")?.activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration("infiniteToolUse").update("github.apiUrl", undefined, vscode.ConfigurationTarget.Workspace);
    await github?.close();
  });

  it("takes a GitHub issue of the workspace's remote: its title and body are the task, its number names the branch", async () => {
    const task = await solveIssueFrom({ kind: "github", number: 42 });
    assert.equal(task.title, "Greeting drops the comma");
    assert.equal(task.issueNumber, 42);
    assert.deepEqual(task.source, { kind: "github", owner: "octo-org", repo: "hello-world", url: "https://github.com/octo-org/hello-world/issues/42" });
    assert.equal(
      taskText(task),
      'Greeting drops the comma (issue #42)\n\n`greet("Ada")` returns `Hello Ada` but the docs promise `Hello, Ada`.\r\n\r\n### Steps\r\n1. Call `greet("Ada")`.\r\n2. Compare with README.md.\r\n\r\nCafé owners noticed first ☕.',
    );
    assert.equal(branchSlug(task), "issue-42-greeting-drops-the-comma");
    assert.equal(github.requests.at(-1)?.url, "/repos/octo-org/hello-world/issues/42", "the setting's base URL was used");
  });

  it("takes a local Markdown issue file, number from its front matter", async () => {
    const task = await solveIssueFrom({ kind: "file", path: "issues/greeting.md" });
    assert.equal(task.title, "Greeting drops the comma");
    assert.equal(task.body, "`greet(\"Ada\")` returns `Hello Ada`; the README promises `Hello, Ada`.\n\n- Fix `src/greet.ts`.\n- Keep the café ☕ example working.");
    assert.deepEqual(task.source, { kind: "file", path: "issues/greeting.md" });
    assert.equal(branchSlug(task), "issue-12-greeting-drops-the-comma");
  });

  it("refuses what it cannot use with a clear message and changes nothing", async () => {
    const status = git("status", "--porcelain");
    await assert.rejects(solveIssueFrom({ kind: "github", number: 44 }), /#44 of octo-org\/hello-world is a pull request, not an issue/);
    await assert.rejects(solveIssueFrom({ kind: "github", number: 999 }), /GitHub could not find issue #999 of octo-org\/hello-world/);
    await assert.rejects(solveIssueFrom({ kind: "file", path: "issues/no-title.md" }), /issues\/no-title\.md has no title/);
    await assert.rejects(solveIssueFrom({ kind: "file", path: "issues/missing.md" }), /Could not read the issue file issues\/missing\.md/);
    assert.equal(git("status", "--porcelain"), status);
  });

  it("lists the remote's open issues in the command palette's picker and returns the one accepted", async () => {
    const before = github.requests.length;
    // The command's own picker (the command then starts a session with the picked task).
    const picked = pickIssueTask();
    await until("the picker to list the issues", () => github.requests.slice(before).some((r) => r.url.startsWith("/repos/octo-org/hello-world/issues?state=open")), 15_000, 100);
    await new Promise((r) => setTimeout(r, 1000)); // let the picker render the loaded items
    await screenshot("solve-issue-picker").catch((e: unknown) => console.log(`    (no screenshot: ${String(e)})`));
    await vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");
    const task = await picked;
    assert.ok(task, "the picker returned no task");
    assert.equal(task.issueNumber, 43, "the first listed issue (#44 is a pull request and left out)");
    assert.equal(task.title, "Support names with émoji in greet()");
    assert.equal(branchSlug(task), "issue-43-support-names-with-emoji-in-greet");
  });

  it("offers the editor's selected text as the task", async () => {
    const document = await vscode.workspace.openTextDocument({ content: "Rename greet to welcome\neverywhere in src/\n" });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const task = await solveIssueFrom({ kind: "text", text: editor.document.getText(editor.selection) });
    assert.equal(task.title, "Rename greet to welcome");
    assert.equal(taskText(task), "Rename greet to welcome\n\nRename greet to welcome\neverywhere in src/");
    assert.equal(branchSlug(task), "rename-greet-to-welcome");
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });
});
