// Defence in depth: even when something changed the session worktree's `.git` file (a call that
// slipped past the path resolver, a task), or moved its branch or HEAD, recording a step must not
// reach the user's repository. Each case: the user's HEAD, refs, index bytes, stash, config and
// files are byte-identical afterwards, and the step is refused with a message saying why.
import * as assert from "node:assert/strict";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { isSessionError, SessionStore, type Session, type StepInput } from "../../../extension/core/sessions/index";
import { git, makeRepo, userState, write } from "./gitRepo";

const writeStep: StepInput = { effect: "writes", call: { tool: "create_file", args: { path: "session.txt" }, body: "s\n" }, observation: { ok: true, text: "created session.txt" } };

describe("the recorder commits only to the session's own worktree and branch", () => {
  const repo = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
  // The user's work in progress: a staged change, an unstaged one, an untracked file and a stash.
  write(repo.root, "a.txt", "stashed\n");
  git(repo.root, "stash", "push", "-q");
  write(repo.root, "a.txt", "staged\n");
  git(repo.root, "add", "a.txt");
  write(repo.root, "b.txt", "unstaged\n");
  write(repo.root, "untracked.txt", "u\n");
  git(repo.root, "branch", "feature");
  after(() => repo.cleanup());

  let store: SessionStore;
  let session: Session;
  let expected: Record<string, string>;
  beforeEach(async () => {
    store = await SessionStore.open(repo.root);
    session = await store.start({ task: "guard" });
    write(session.worktreePath, "first.txt", "first\n");
    await session.recordStep({ effect: "writes", call: { tool: "create_file", args: { path: "first.txt" } }, observation: { ok: true, text: "ok" } });
    write(session.worktreePath, "session.txt", "s\n");
    expected = userState(repo.root);
  });

  async function refused(why: RegExp): Promise<void> {
    const tipBefore = git(repo.root, "rev-parse", session.branch).trim();
    await assert.rejects(session.recordStep(writeStep), (error: unknown) => {
      assert.ok(isSessionError(error), String(error));
      assert.match(error.message, why);
      return true;
    });
    assert.deepEqual(userState(repo.root), expected, "the user's work changed");
    assert.equal(git(repo.root, "rev-parse", session.branch).trim(), tipBefore, "the session branch moved");
  }

  const pointers: Array<[string, (root: string) => string]> = [
    ["gitdir: ../../.. (the issue's call)", () => "gitdir: ../../..\n"],
    ["the user's .git folder", (root) => `gitdir: ${join(root, ".git")}\n`],
    ["another worktree's git data", (root) => `gitdir: ${join(root, ".git", "worktrees", "elsewhere")}\n`],
  ];
  for (const [name, pointer] of pointers) {
    it(`refuses to record when the .git file points at ${name}`, async () => {
      writeFileSync(join(session.worktreePath, ".git"), pointer(repo.root));
      await refused(/\.git file no longer points at the session's own git data \(it was changed\)/);
    });
  }

  it("refuses when the .git file was deleted or renamed", async () => {
    renameSync(join(session.worktreePath, ".git"), join(session.worktreePath, "x"));
    await refused(/it is missing/);
    rmSync(join(session.worktreePath, "x"));
    await refused(/it is missing/);
  });

  it("refuses when the worktree's HEAD was moved to a user branch", async () => {
    const gitDir = session.worktree.gitDir;
    const head = readFileSync(join(gitDir, "HEAD"), "utf8");
    writeFileSync(join(gitDir, "HEAD"), "ref: refs/heads/main\n");
    await refused(/no longer on its branch .* \(HEAD is ref: refs\/heads\/main\)/);
    writeFileSync(join(gitDir, "HEAD"), head);
  });

  it("refuses, by compare-and-swap, when the session branch moved outside the session", async () => {
    git(repo.root, "update-ref", `refs/heads/${session.branch}`, "main");
    await refused(/moved outside this session/);
  });

  it("resuming repairs a tampered .git file and resets only the session's own files", async () => {
    writeFileSync(join(session.worktreePath, ".git"), `gitdir: ${join(repo.root, ".git")}\n`);
    const loaded = await store.load(session.id);
    assert.deepEqual(userState(repo.root), expected, "load() touched the user's work");
    assert.equal(readFileSync(join(loaded.worktreePath, "first.txt"), "utf8"), "first\n");
    write(loaded.worktreePath, "session.txt", "s\n");
    const step = await loaded.recordStep(writeStep);
    assert.ok(step.commit);
    assert.equal(git(repo.root, "rev-parse", loaded.branch).trim(), step.commit);
    assert.deepEqual(userState(repo.root), expected);
  });

  it("records normally when nothing was tampered with, moving only the session branch", async () => {
    const step = await session.recordStep(writeStep);
    assert.equal(git(repo.root, "rev-parse", session.branch).trim(), step.commit);
    assert.equal(git(repo.root, "show", `${step.commit}:session.txt`), "s\n");
    assert.deepEqual(userState(repo.root), expected);
  });
});
