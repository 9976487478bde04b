// Resume in a multi-root workspace, inside a real VS Code: the launcher opens multiroot.code-workspace
// (folders first/ and second/, each made its own git repository by before()); an unfinished session
// of the second folder's repository is resumed through the Sessions view's Resume command, and it
// continues in that repository (its branch, its trace), not in the first folder's.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { SessionStore } from "../../../extension/core/sessions/index";
import type { ResumedSession } from "../../../extension/host/run/resumeSession";
import { activate, until, workspace } from "../support/vscode";

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" });
}

function makeRepo(root: string): void {
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "fixture");
}

describe("resume in a multi-root workspace", function () {
  this.timeout(180_000);
  const first = join(workspace(), "first");
  const second = join(workspace(), "second");

  before(() => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ["first", "second"], "the window is not the multi-root workspace");
    makeRepo(first);
    makeRepo(second);
  });

  it("continues a session of the second folder's repository in that repository", async () => {
    const api = await activate();
    api.sessions.refresh();
    const stores = await until("a session store for each folder", async () => {
      const all = await api.sessions.stores();
      return all.length === 2 ? all : undefined;
    }, 30_000, 200);
    const secondStore = stores.find((s: SessionStore) => s.repo.topLevel === realpathSync(second));
    assert.ok(secondStore, `no store for ${second}: ${stores.map((s) => s.repo.topLevel).join(", ")}`);

    // An unfinished session in the second repository: one recorded step that created b.txt.
    const session = await secondStore.start({ task: "Add b.txt and c.txt" });
    writeFileSync(join(session.worktreePath, "b.txt"), "b\n");
    await session.recordStep({ effect: "writes", call: { tool: "create_file", args: { path: "b.txt" }, body: "b\n" }, observation: { ok: true, text: "created b.txt" } });
    const script = join(process.env.ITU_RUN_DIR ?? "", "multiroot-replay.jsonl");
    const calls = [
      { tool: "create_file", args: { path: "b.txt" }, body: "b\n" },
      { tool: "create_file", args: { path: "c.txt" }, body: "c\n" },
      { tool: "finish", args: {}, body: "Added b.txt and c.txt." },
    ];
    writeFileSync(script, calls.map((c) => JSON.stringify(c)).join("\n"));

    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>("infiniteToolUse.sessions.resume", session.id, { replay: script });
    assert.ok(resumed, "the Resume command returned nothing");
    assert.equal(resumed.resumedAfterStep, 1);
    const end = await resumed.done;
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 3);
    assert.equal(git(second, "show", `${session.branch}:c.txt`), "c\n");
    const trace = await secondStore.readTrace(session.id);
    assert.deepEqual(trace.steps.map((s) => s.call.tool), ["create_file", "create_file", "finish"]);
    assert.equal(trace.end?.summary, "Added b.txt and c.txt.");
    assert.equal(git(first, "for-each-ref", "refs/infinite/").trim(), "", "the first folder's repository got a session");
  });
});
