// Accept (squash or every step), discard, and the clear refusals that change nothing.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SessionStore, type Session } from "../../../extension/core/sessions/index";
import { git, makeRepo, write } from "./gitRepo";

async function sessionWithEdits(root: string, edits: Record<string, string>, task = "edit files"): Promise<{ store: SessionStore; session: Session }> {
  const store = await SessionStore.open(root);
  const session = await store.start({ task });
  for (const [path, text] of Object.entries(edits)) {
    write(session.worktreePath, path, text);
    await session.recordStep({ effect: "writes", call: { tool: "write_file", args: { path } }, observation: { ok: true, text: "ok" } });
  }
  return { store, session };
}

/** Leaves the repository mid-merge: main and side both changed a.txt, and `git merge side` stopped. */
function startConflictingMerge(root: string): void {
  git(root, "checkout", "-q", "-b", "side");
  write(root, "a.txt", "side\n");
  git(root, "commit", "-q", "-am", "side");
  git(root, "checkout", "-q", "main");
  write(root, "a.txt", "main\n");
  git(root, "commit", "-q", "-am", "main");
  assert.throws(() => git(root, "merge", "-q", "side"));
}

function userState(root: string): string {
  return [git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain=v2", "--untracked-files=all"), git(root, "diff"), git(root, "diff", "--cached")].join("\n--\n");
}

describe("accepting and discarding", () => {
  it("squashes into the checked-out base as one commit with the combined diff, keeping unrelated user changes", async () => {
    const repo = makeRepo({ "a.txt": "a\n", "b.txt": "b\n", "mine.txt": "mine\n" });
    try {
      const { store, session } = await sessionWithEdits(repo.root, { "a.txt": "A1\n", "c.txt": "new\n" });
      write(session.worktreePath, "a.txt", "A2\n");
      await session.recordStep({ effect: "writes", call: { tool: "write_file", args: { path: "a.txt" } }, observation: { ok: true, text: "ok" } });
      await session.finish("Rewrite a and add c");
      const combined = git(repo.root, "diff", "main", session.branch);
      write(repo.root, "mine.txt", "my unstaged edit\n");
      write(repo.root, "b.txt", "my staged edit\n");
      git(repo.root, "add", "b.txt");
      write(repo.root, "untracked.txt", "mine too\n");
      const baseBefore = git(repo.root, "rev-parse", "main").trim();

      const result = await store.accept(session.id, { squash: true });

      assert.equal(git(repo.root, "rev-parse", "main^").trim(), baseBefore, "exactly one new commit on main");
      assert.equal(git(repo.root, "log", "-1", "--format=%s", "main").trim(), "Rewrite a and add c");
      assert.equal(git(repo.root, "diff", baseBefore, "main"), combined);
      assert.equal(result.updatedWorktree, repo.root);
      assert.equal(readFileSync(join(repo.root, "a.txt"), "utf8"), "A2\n");
      assert.equal(readFileSync(join(repo.root, "mine.txt"), "utf8"), "my unstaged edit\n");
      assert.equal(readFileSync(join(repo.root, "untracked.txt"), "utf8"), "mine too\n");
      assert.equal(git(repo.root, "diff", "--cached", "--name-only").trim(), "b.txt", "the user's staged change is still staged");
      assert.equal(git(repo.root, "status", "--porcelain", "a.txt", "c.txt"), "", "the accepted files are clean in the user's tree");
      assert.equal(existsSync(session.worktreePath), false);
      assert.equal((await store.info(session.id)).status, "accepted");
    } finally {
      repo.cleanup();
    }
  });

  it("keeps every step when asked, as a fast-forward", async () => {
    const repo = makeRepo();
    try {
      const { store, session } = await sessionWithEdits(repo.root, { "x.txt": "1\n", "y.txt": "2\n" });
      const tip = git(repo.root, "rev-parse", session.branch).trim();
      git(repo.root, "checkout", "-q", "-b", "other");
      await store.accept(session.id, { squash: false });
      assert.equal(git(repo.root, "rev-parse", "main").trim(), tip);
      assert.equal(git(repo.root, "rev-list", "--count", "main").trim(), "3");
      assert.equal(git(repo.root, "rev-parse", "--abbrev-ref", "HEAD").trim(), "other", "the user's checkout is untouched");
    } finally {
      repo.cleanup();
    }
  });

  it("merges cleanly when the base moved elsewhere, and refuses when it moved in a conflicting way", async () => {
    const repo = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    try {
      const { store, session: s1 } = await sessionWithEdits(repo.root, { "a.txt": "session\n" }, "first");
      const { session: s2 } = await sessionWithEdits(repo.root, { "b.txt": "session\n" }, "second");
      write(repo.root, "b.txt", "user\n");
      git(repo.root, "commit", "-q", "-am", "user changes b");
      const before = userState(repo.root);
      await assert.rejects(store.accept(s2.id, { squash: true }), (e: Error & { code?: string }) => e.code === "base-moved-conflict" && /b\.txt/.test(e.message));
      assert.equal(userState(repo.root), before, "a refused accept changes nothing");
      assert.ok(existsSync(s2.worktreePath));
      await store.accept(s1.id, { squash: true });
      assert.equal(readFileSync(join(repo.root, "a.txt"), "utf8"), "session\n");
      assert.equal(readFileSync(join(repo.root, "b.txt"), "utf8"), "user\n");
    } finally {
      repo.cleanup();
    }
  });

  it("refuses when the user's uncommitted changes touch the session's files", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    try {
      const { store, session } = await sessionWithEdits(repo.root, { "a.txt": "session\n" });
      write(repo.root, "a.txt", "user's unsaved work\n");
      const before = userState(repo.root);
      const mainBefore = git(repo.root, "rev-parse", "main");
      await assert.rejects(store.accept(session.id, { squash: true }), { code: "user-changes-overlap" });
      assert.equal(userState(repo.root), before);
      assert.equal(git(repo.root, "rev-parse", "main"), mainBefore);
      assert.equal(readFileSync(join(repo.root, "a.txt"), "utf8"), "user's unsaved work\n");
      write(repo.root, "c.txt", "untracked in the way\n");
      git(repo.root, "checkout", "-q", "a.txt");
      const { session: s2 } = await sessionWithEdits(repo.root, { "c.txt": "session c\n" }, "adds c");
      await assert.rejects(store.accept(s2.id, { squash: true }), { code: "user-changes-overlap" });
      assert.equal(readFileSync(join(repo.root, "c.txt"), "utf8"), "untracked in the way\n");
    } finally {
      repo.cleanup();
    }
  });

  it("refuses to accept into a base mid-merge, or a session started from a detached commit", async () => {
    const repo = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    try {
      const { store, session } = await sessionWithEdits(repo.root, { "b.txt": "session\n" });
      const detached = await store.start({ task: "detached", base: git(repo.root, "rev-parse", "HEAD").trim() });
      write(detached.worktreePath, "d.txt", "d\n");
      await detached.recordStep({ effect: "writes", call: { tool: "w", args: {} }, observation: { ok: true, text: "" } });
      await assert.rejects(store.accept(detached.id, { squash: true }), { code: "base-not-a-branch" });
      startConflictingMerge(repo.root);
      const before = userState(repo.root);
      const mainBefore = git(repo.root, "rev-parse", "main");
      await assert.rejects(store.accept(session.id, { squash: true }), { code: "operation-in-progress" });
      assert.equal(userState(repo.root), before);
      assert.equal(git(repo.root, "rev-parse", "main"), mainBefore);
    } finally {
      repo.cleanup();
    }
  });

  it("discards: no branch, no worktree, no refs, no snapshots", async () => {
    const repo = makeRepo();
    try {
      const { store, session } = await sessionWithEdits(repo.root, { "x.txt": "1\n" });
      writeFileSync(session.snapshotPath(1), "state");
      await store.rewind(session.id, 0);
      await store.discard(session.id);
      assert.equal(git(repo.root, "branch", "--list", session.branch), "");
      assert.equal(git(repo.root, "for-each-ref", "refs/infinite/"), "");
      assert.equal(existsSync(session.worktreePath), false);
      assert.equal(git(repo.root, "worktree", "list").trim().split("\n").length, 1);
      assert.deepEqual(store.snapshots.list(), []);
      assert.deepEqual(await store.list(), []);
    } finally {
      repo.cleanup();
    }
  });
});

describe("refusals that change nothing", () => {
  it("not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "itu-norepo-"));
    try {
      await assert.rejects(SessionStore.open(dir), { code: "not-a-repository" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("git missing", async () => {
    const repo = makeRepo();
    try {
      await assert.rejects(SessionStore.open(repo.root, { gitBinary: "/nonexistent/bin/git" }), { code: "git-missing" });
    } finally {
      repo.cleanup();
    }
  });

  it("a repository without commits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "itu-empty-"));
    try {
      git(dir, "init", "-q");
      const store = await SessionStore.open(dir);
      await assert.rejects(store.start({ task: "x" }), { code: "no-commits" });
      assert.equal(git(dir, "for-each-ref"), "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a merge in progress", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    try {
      startConflictingMerge(repo.root);
      const store = await SessionStore.open(repo.root);
      await assert.rejects(store.start({ task: "x" }), (e: Error & { code?: string }) => e.code === "operation-in-progress" && /merge/.test(e.message));
      assert.equal(git(repo.root, "branch", "--list", "infinite/*"), "");
    } finally {
      repo.cleanup();
    }
  });

  it("bad input: empty task, bad issue, unknown base, unknown session", async () => {
    const repo = makeRepo();
    try {
      const store = await SessionStore.open(repo.root);
      await assert.rejects(store.start({ task: "  " }), { code: "invalid-argument" });
      await assert.rejects(store.start({ task: "x", issue: -3 }), { code: "invalid-argument" });
      await assert.rejects(store.start({ task: "x", base: "no-such-branch" }), { code: "invalid-argument" });
      await assert.rejects(store.start({ task: "x", base: "--output=/tmp/x" }), { code: "invalid-argument" });
      await assert.rejects(store.load("../../etc"), { code: "unknown-session" });
      await assert.rejects(store.load("2026-01-01-nothing"), { code: "unknown-session" });
      assert.equal(git(repo.root, "for-each-ref", "refs/infinite/"), "");
    } finally {
      repo.cleanup();
    }
  });
});
