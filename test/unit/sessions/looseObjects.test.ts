// The store writes its trace records, trace trees and commits in-process (looseObjects.ts). Each
// object must be the very object git writes for the same content (same id, readable by git, clean
// under fsck --strict), in SHA-1 and SHA-256 repositories, and from a session worktree it must land
// in the repository's shared object folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { GitGate } from "../../../extension/core/sessions/gitGate";
import { LooseObjects, gitTime, parseSharedRepository } from "../../../extension/core/sessions/looseObjects";
import { SessionStore } from "../../../extension/core/sessions";
import { git, makeRepo } from "./gitRepo";

const identity = { GIT_AUTHOR_NAME: "Infinite Tool Use", GIT_AUTHOR_EMAIL: "agent@infinite-tool-use.invalid", GIT_COMMITTER_NAME: "Infinite Tool Use", GIT_COMMITTER_EMAIL: "agent@infinite-tool-use.invalid" };

function gitWith(cwd: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", input: options.input ?? "", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", ...options.env } }).trim();
}

function objectsOf(root: string): Promise<LooseObjects> {
  const gate = new GitGate();
  return LooseObjects.open((args) => gate.run(root, args));
}

for (const format of ["sha1", "sha256"] as const) {
  describe(`in-process git objects (${format})`, () => {
    it("writes the blob, tree and commit git writes for the same content, and fsck finds nothing wrong", async () => {
      const root = mkdtempSync(join(tmpdir(), "itu-objects-"));
      try {
        gitWith(root, ["init", "-q", `--object-format=${format}`]);
        const objects = await objectsOf(root);
        assert.equal(objects.hash, format);
        const text = '{"type":"step","step":1,"body":"ü\\n"}\n';
        const blob = await objects.blob(text);
        assert.equal(blob, gitWith(root, ["hash-object", "--stdin"], { input: text }), "the blob's id is git's");
        assert.equal(gitWith(root, ["cat-file", "-p", blob]), text.trim(), "git reads the blob back");

        const second = await objects.blob("second\n");
        const tree = await objects.tree([
          { mode: "100644", name: "step-000002.json", oid: second },
          { mode: "100644", name: "header.json", oid: blob },
        ]);
        const mktree = gitWith(root, ["mktree"], { input: `100644 blob ${second}\tstep-000002.json\n100644 blob ${blob}\theader.json\n` });
        assert.equal(tree, mktree, "the tree's id is mktree's (entries sorted as git sorts them)");

        const when = new Date(1_764_000_000_000);
        const message = "trace: step 1\n";
        const commit = await objects.commit({ tree, parents: [], message, when });
        const date = gitTime(when);
        const commitTree = gitWith(root, ["commit-tree", tree, "-F", "-"], { input: message, env: { ...identity, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
        assert.equal(commit, commitTree, "the commit's id is commit-tree's");
        const child = await objects.commit({ tree, parents: [commit], message: "trace: step 2\n", when });
        assert.equal(gitWith(root, ["rev-parse", `${child}^`]), commit, "the parent is recorded");

        gitWith(root, ["update-ref", "refs/infinite/test", child]);
        gitWith(root, ["fsck", "--strict", "--no-dangling"]);
        const file = join(root, ".git", "objects", blob.slice(0, 2), blob.slice(2));
        assert.equal(statSync(file).mode & 0o222, 0, "objects are read-only, as git leaves them");
        assert.equal(await objects.blob(text), blob, "writing an object that exists is a no-op");
        assert.deepEqual(readdirSync(join(root, ".git", "objects", blob.slice(0, 2))).filter((n) => n.startsWith("tmp_")), [], "no temporary file is left");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}

describe("in-process git objects: core.sharedRepository", () => {
  // Compared with git itself: the same object written by `git hash-object -w` in one repository and
  // by the store in another with the same setting must get the same folder and file modes.
  for (const setting of ["umask", "group", "true", "all", "0640", "0600", "2"]) {
    it(`gives the object and its new folder the modes git gives them with core.sharedRepository=${setting}`, async () => {
      const root = mkdtempSync(join(tmpdir(), "itu-shared-"));
      try {
        const modes = (repo: string, oid: string) => [join(repo, ".git", "objects", oid.slice(0, 2)), join(repo, ".git", "objects", oid.slice(0, 2), oid.slice(2))].map((p) => (statSync(p).mode & 0o7777).toString(8));
        const byGit = join(root, "git");
        const byStore = join(root, "store");
        for (const repo of [byGit, byStore]) {
          gitWith(root, ["init", "-q", repo]);
          gitWith(repo, ["config", "core.sharedRepository", setting]);
        }
        const text = `shared ${setting}\n`;
        const oid = gitWith(byGit, ["hash-object", "-w", "--stdin"], { input: text });
        assert.equal(await (await objectsOf(byStore)).blob(text), oid);
        assert.deepEqual(modes(byStore, oid), modes(byGit, oid));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }

  it("reads the setting as git does, and refuses one git refuses", () => {
    assert.equal(parseSharedRepository("umask"), 0);
    assert.equal(parseSharedRepository("false"), 0);
    assert.equal(parseSharedRepository("1"), 0o660);
    assert.equal(parseSharedRepository("everybody"), 0o664);
    assert.equal(parseSharedRepository("0644"), -0o644);
    assert.throws(() => parseSharedRepository("0444"), /owner of the repository's files must be able to read and write/);
    assert.throws(() => parseSharedRepository("sometimes"), /git does not read either/);
  });
});

describe("in-process git objects: refusals", () => {
  it("refuses an object id of the wrong form and a tree entry name with a slash, writing nothing", async () => {
    const repo = makeRepo();
    try {
      const objects = await objectsOf(repo.root);
      const before = git(repo.root, "count-objects", "-v");
      await assert.rejects(objects.commit({ tree: "not-an-id", parents: [], message: "x\n" }), /is not a sha1 object id/);
      await assert.rejects(objects.tree([{ mode: "100644", name: "a/b", oid: "0".repeat(40) }]), /cannot be named "a\/b"/);
      assert.equal(git(repo.root, "count-objects", "-v"), before);
    } finally {
      repo.cleanup();
    }
  });
});

describe("in-process git objects: a session's steps", () => {
  it("records commits and trace records in the repository's shared object folder that git reads and fsck accepts", async () => {
    const repo = makeRepo();
    try {
      const store = await SessionStore.open(repo.root);
      const session = await store.start({ task: "edit a file" });
      const { writeFileSync } = await import("node:fs");
      writeFileSync(join(session.worktreePath, "README.md"), "hello\nagain\n");
      const recorded = await session.recordStep({ call: { tool: "replace_range", args: { path: "README.md" } }, observation: { ok: true, text: "replaced" }, effect: "writes" });
      assert.ok(recorded.commit);
      assert.deepEqual(recorded.diffStat, { files: 1, insertions: 1, deletions: 0 });
      assert.equal(git(repo.root, "show", `${recorded.commit}:README.md`), "hello\nagain\n");
      assert.match(git(repo.root, "log", "-1", "--format=%an <%ae>%n%B", session.branch), /^Infinite Tool Use <agent@infinite-tool-use.invalid>\nreplace_range path=README.md\n/);
      assert.equal((await session.readTrace()).steps[0]?.commit, recorded.commit);
      assert.ok(!readdirSync(join(repo.root, ".git", "worktrees")).some((w) => readdirSync(join(repo.root, ".git", "worktrees", w)).includes("objects")), "nothing is written under the worktree's own git data");
      git(repo.root, "fsck", "--strict", "--no-dangling");
    } finally {
      repo.cleanup();
    }
  });
});
