// Sessions inside a real VS Code: Review opens the multi-file diff of base...session with the right
// files, Accept with squash leaves one commit holding the combined diff on the checked-out base, and
// Discard leaves no branch and no worktree. The fixture is a plain folder; before() makes it a repo.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { Session, SessionStore } from "../../../extension/core/sessions/index";
import { textOf } from "../support/browser";
import { activate, until } from "../support/vscode";

const workspace = process.env.ITU_WORKSPACE!;
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: workspace, env: gitEnv, encoding: "utf8" });
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const api = activate;

async function store(): Promise<SessionStore> {
  const sessions = (await api()).sessions;
  sessions.refresh();
  const [found] = await sessions.stores();
  assert.ok(found, "the workspace should be a git repository with a session store");
  return found;
}

async function sessionEditing(task: string): Promise<Session> {
  const session = await (await store()).start({ task });
  write(session.worktreePath, "src/parser.ts", 'export function parse(text: string): string[] {\n  return text === "" ? [] : text.split(",");\n}\n');
  await session.recordStep({ effect: "writes", call: { tool: "edit_lines", args: { path: "src/parser.ts", start: 2, end: 2 } }, observation: { ok: true, text: "edited" } });
  await session.recordStep({ effect: "reads", call: { tool: "read_file", args: { path: "README.md" } }, observation: { ok: true, text: "# Sessions fixture" } });
  write(session.worktreePath, "src/parser.test.ts", 'import { parse } from "./parser";\nconsole.assert(parse("").length === 0);\n');
  await session.recordStep({ effect: "writes", call: { tool: "create_file", args: { path: "src/parser.test.ts" } }, observation: { ok: true, text: "created" } });
  return session;
}

describe("sessions", () => {
  before(() => {
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "fixture");
  });

  it("Review opens the multi-file diff of base...session with the session's files", async () => {
    const session = await sessionEditing("Handle empty input in the parser");
    const title = await vscode.commands.executeCommand<string>("infiniteToolUse.sessions.review", session.id);
    assert.ok(title, "review returned no title");
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await until(() => `the multi-diff tab "${title}"; saw ${JSON.stringify(tabs().map((t) => [t.label, t.input]))}`, () => tabs().find((t) => t.label.startsWith(title)), 15_000, 100);
    const input = tab.input as { textDiffs?: { original: vscode.Uri; modified: vscode.Uri }[] } | undefined;
    assert.ok(input && Array.isArray(input.textDiffs), `the tab is not a multi-file diff: ${JSON.stringify(tab.input)}`);
    const files = input.textDiffs.map((d) => d.modified.path.replace(/^\//, "")).sort();
    assert.deepEqual(files, ["src/parser.test.ts", "src/parser.ts"]);
    const modified = await vscode.workspace.openTextDocument(input.textDiffs.find((d) => d.modified.path.endsWith("parser.ts"))!.modified);
    assert.match(modified.getText(), /text === ""/);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");

    // Step 3 (create_file) has its own diff: only the file that step created.
    const stepTitle = await vscode.commands.executeCommand<string>("infiniteToolUse.sessions.openStepDiff", session.id, 3);
    assert.equal(stepTitle, "Step 3: create_file");
    const stepTab = await until(() => `the step diff tab "${stepTitle}"; saw ${JSON.stringify(tabs().map((t) => t.label))}`, () => tabs().find((t) => t.label.startsWith(stepTitle)), 15_000, 100);
    const stepInput = stepTab.input as { textDiffs?: { modified: vscode.Uri }[] } | undefined;
    assert.deepEqual(stepInput?.textDiffs?.map((d) => d.modified.path), ["/src/parser.test.ts"]);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.commands.executeCommand("infiniteToolUse.sessions.discard", session.id, { confirmed: true });
  });

  it("Accept with squash leaves one commit on the base holding the combined diff", async () => {
    const session = await sessionEditing("Handle empty input, then accept");
    await session.finish("Parser: handle empty input");
    const baseBefore = git("rev-parse", "main").trim();
    const combined = git("diff", baseBefore, session.branch);
    await vscode.commands.executeCommand("infiniteToolUse.sessions.accept", session.id, { squash: true });
    assert.equal(git("rev-parse", "main^").trim(), baseBefore, "exactly one commit added to main");
    assert.equal(git("log", "-1", "--format=%s", "main").trim(), "Parser: handle empty input");
    assert.equal(git("diff", baseBefore, "main"), combined);
    assert.match(readFileSync(join(workspace, "src/parser.ts"), "utf8"), /text === ""/, "the checked-out base's files moved with it");
    assert.equal(git("status", "--porcelain"), "");
  });

  it("Discard leaves no branch and no worktree", async () => {
    const session = await sessionEditing("Something to throw away");
    assert.ok(existsSync(session.worktreePath));
    const discarded = await vscode.commands.executeCommand<boolean>("infiniteToolUse.sessions.discard", session.id, { confirmed: true });
    assert.equal(discarded, true);
    assert.equal(git("branch", "--list", session.branch), "");
    assert.equal(existsSync(session.worktreePath), false);
    assert.ok(!git("worktree", "list", "--porcelain").includes(session.worktreePath), "git still lists the session's worktree");
    assert.equal(git("for-each-ref", `refs/infinite/traces/${session.id}`), "");
  });

  it("lists sessions in the Sessions view's store, and the view opens", async () => {
    const session = await sessionEditing("Listed in the view");
    const infos = await (await store()).list();
    assert.ok(infos.some((i) => i.id === session.id && i.status === "active" && i.steps === 3));
    await vscode.commands.executeCommand("infiniteToolUse.sessions.focus");
    // The row says the session is unfinished (Resume continues it), not "active" as if it ran.
    const row = await until("the session's row in the Sessions view", async () => {
      const rows = await textOf(".monaco-list-row");
      return rows.includes("Listed in the view") && rows;
    }, 20_000, 200);
    assert.match(row, /Listed in the view\s*unfinished · 3 steps/);
  });
});
