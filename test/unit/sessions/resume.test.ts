// Resume after the editor died mid-session: a fresh store lists the unfinished session, and load()
// continues at the last recorded step with the files of that step and the snapshot of that step,
// even when the worktree folder is gone, a call was interrupted half-way, or git was killed holding
// its locks.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SessionStore } from "../../../extension/core/sessions/index";
import { git, makeRepo, write } from "./gitRepo";

describe("resuming a session", () => {
  it("continues at the last recorded step with its files and snapshot", async () => {
    const repo = makeRepo();
    try {
      const first = await SessionStore.open(repo.root);
      const session = await first.start({ task: "resume me", issue: 7 });
      for (let step = 1; step <= 3; step++) {
        write(session.worktreePath, "work.txt", `step ${step}\n`);
        await session.recordStep({ effect: "writes", call: { tool: "write_file", args: { path: "work.txt" } }, observation: { ok: true, text: `wrote ${step}` } });
        writeFileSync(session.snapshotPath(), `state ${step}`);
      }
      // The editor dies in the middle of step 4: a file was written, the step never recorded.
      write(session.worktreePath, "work.txt", "half-done step 4\n");
      write(session.worktreePath, "stray.txt", "stray\n");

      const second = await SessionStore.open(repo.root);
      const [info] = await second.list();
      assert.equal(info?.id, session.id);
      assert.equal(info?.status, "active");
      assert.equal(info?.issue, 7);
      const resumed = await second.load(session.id);
      const point = await resumed.resumePoint();
      assert.equal(point.step, 3);
      assert.equal(point.snapshot?.step, 3);
      assert.equal(readFileSync(point.snapshot!.path, "utf8"), "state 3");
      assert.deepEqual(point.trace.steps.map((s) => s.observation.text), ["wrote 1", "wrote 2", "wrote 3"]);
      assert.equal(readFileSync(join(resumed.worktreePath, "work.txt"), "utf8"), "step 3\n");
      assert.equal(existsSync(join(resumed.worktreePath, "stray.txt")), false);
      write(resumed.worktreePath, "work.txt", "step 4\n");
      assert.equal((await resumed.recordStep({ effect: "writes", call: { tool: "write_file", args: { path: "work.txt" } }, observation: { ok: true, text: "wrote 4" } })).step, 4);

      // The worktree folder deleted (a cleanup tool, a restore from backup): load() recreates it.
      rmSync(resumed.worktreePath, { recursive: true, force: true });
      const again = await (await SessionStore.open(repo.root)).load(session.id);
      assert.equal(readFileSync(join(again.worktreePath, "work.txt"), "utf8"), "step 4\n");
      assert.equal(again.stepCount, 4);
      assert.equal(git(repo.root, "status", "--porcelain"), "");
    } finally {
      repo.cleanup();
    }
  });

  it("clears the locks a killed git left on the session, and leaves a live git's lock alone", async () => {
    const repo = makeRepo();
    try {
      const session = await (await SessionStore.open(repo.root)).start({ task: "killed mid-commit" });
      write(session.worktreePath, "work.txt", "step 1\n");
      await session.recordStep({ effect: "writes", call: { tool: "write_file", args: { path: "work.txt" } }, observation: { ok: true, text: "wrote 1" } });
      write(session.worktreePath, "work.txt", "half-done step 2\n");
      const gitDir = git(session.worktreePath, "rev-parse", "--absolute-git-dir").trim();
      const commonDir = git(repo.root, "rev-parse", "--path-format=absolute", "--git-common-dir").trim();
      // What `git commit` killed half-way leaves: the worktree's index lock and the branch's ref lock.
      const locks = [join(gitDir, "index.lock"), join(commonDir, "refs/heads", `${session.branch}.lock`)];
      for (const lock of locks) writeFileSync(lock, "");
      // A lock on shared data may be the user's own git at work: never touched.
      const shared = join(commonDir, "packed-refs.lock");
      writeFileSync(shared, "");

      const logged: string[] = [];
      const resumed = await (await SessionStore.open(repo.root, { log: (line) => logged.push(line) })).load(session.id);
      assert.deepEqual(locks.map(existsSync), [false, false]);
      assert.equal(logged.filter((line) => /stale git lock/.test(line)).length, 2, "the log says what was removed");
      assert.equal(existsSync(shared), true, "the shared lock stays");
      unlinkSync(shared);
      assert.equal(readFileSync(join(resumed.worktreePath, "work.txt"), "utf8"), "step 1\n");
      write(resumed.worktreePath, "work.txt", "step 2\n");
      assert.equal((await resumed.recordStep({ effect: "writes", call: { tool: "write_file", args: { path: "work.txt" } }, observation: { ok: true, text: "wrote 2" } })).step, 2);

      // A git that is alive replaces its lock within the wait: that lock is not removed, and resume
      // fails with git's own message instead of breaking into a running command.
      const index = join(gitDir, "index.lock");
      writeFileSync(index, "");
      const live = setInterval(() => {
        rmSync(index, { force: true });
        writeFileSync(index, "");
      }, 300);
      try {
        await assert.rejects((await SessionStore.open(repo.root)).load(session.id), /index\.lock/);
      } finally {
        clearInterval(live);
        rmSync(index, { force: true });
      }
      assert.equal(git(repo.root, "status", "--porcelain"), "");
    } finally {
      repo.cleanup();
    }
  });
});
