// Rewind to step 5 of 10: the files of step 5, the snapshot of step 5, and steps 6-10 still reachable.
import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SessionStore, type RewindResult, type Session } from "../../../extension/core/sessions/index";
import { git, makeRepo, write } from "./gitRepo";

function listFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(root, { recursive: true }).map(String)) {
    if (f === ".git" || f.startsWith(".git/") || f.startsWith(".git\\")) continue;
    const p = join(root, f);
    try {
      files[f] = readFileSync(p, "utf8");
    } catch {
      // a folder
    }
  }
  return files;
}

describe("rewinding a session", () => {
  const repo = makeRepo();
  let store: SessionStore;
  let session: Session;
  const filesAfter: Record<string, string>[] = [];
  let rewound: RewindResult;

  before(async () => {
    store = await SessionStore.open(repo.root);
    session = await store.start({ task: "ten steps" });
    for (let step = 1; step <= 10; step++) {
      // Steps 3 and 7 only read; the others write, rename or delete.
      if (step === 4) git(session.worktreePath, "rm", "-q", "README.md");
      else if (step !== 3 && step !== 7) write(session.worktreePath, `notes/${step % 4}.txt`, `step ${step}\n`);
      await session.recordStep({ effect: step === 3 || step === 7 ? "reads" : "writes", call: { tool: "t", args: { step } }, observation: { ok: true, text: `obs ${step}` } });
      writeFileSync(session.snapshotPath(step), `model state after step ${step}`);
      filesAfter[step] = listFiles(session.worktreePath);
    }
    rewound = await store.rewind(session.id, 5);
  });
  after(() => repo.cleanup());

  it("restores the files of step 5", () => {
    assert.deepEqual(listFiles(session.worktreePath), filesAfter[5]);
    assert.notDeepEqual(filesAfter[5], filesAfter[10]);
    assert.equal(git(session.worktreePath, "status", "--porcelain"), "");
  });

  it("points at the snapshot of step 5", () => {
    assert.equal(rewound.snapshot?.step, 5);
    assert.equal(readFileSync(rewound.snapshot!.path, "utf8"), "model state after step 5");
    assert.equal(store.snapshots.latestAtOrBefore(session.id, 99)?.step, 5, "later snapshots are set aside");
  });

  it("truncates the trace to 5 steps and continues numbering at 6", async () => {
    const loaded = await store.load(session.id);
    assert.equal(loaded.stepCount, 5);
    const point = await loaded.resumePoint();
    assert.equal(point.step, 5);
    assert.equal(point.snapshot?.step, 5);
    write(loaded.worktreePath, "after-rewind.txt", "new\n");
    assert.deepEqual(await loaded.recordStep({ effect: "writes", call: { tool: "t", args: {} }, observation: { ok: true, text: "" } }).then((r) => r.step), 6);
  });

  it("keeps steps 6-10 reachable through backup refs", async () => {
    const oldTip = git(repo.root, "rev-parse", rewound.backup.branch).trim();
    const subjects = git(repo.root, "log", "--format=%(trailers:key=Step,valueonly)", oldTip).split("\n").filter(Boolean).map(Number);
    assert.deepEqual(subjects.slice(0, 3), [10, 9, 8]);
    const oldTrace = git(repo.root, "ls-tree", "-r", "--name-only", rewound.backup.trace).trim().split("\n");
    assert.ok(oldTrace.includes("step-000010.json"));
    assert.equal(git(repo.root, "show", `${rewound.backup.trace}:step-000007.json`).includes('"obs 7"'), true);
    const aside = readdirSync(join(store.dataDir, "snapshots", `${session.id}.rewound`), { recursive: true }).map(String);
    assert.ok(aside.some((f) => f.endsWith("10.bin")));
  });

  it("refuses steps from a Session object that the rewind left behind, committing nothing", async () => {
    const tip = git(repo.root, "rev-parse", session.branch);
    write(session.worktreePath, "stale.txt", "x\n");
    await assert.rejects(session.recordStep({ effect: "writes", call: { tool: "t", args: {} }, observation: { ok: true, text: "" } }), { code: "session-changed-elsewhere" });
    assert.equal(git(repo.root, "rev-parse", session.branch), tip);
  });

  it("refuses a step out of range and changes nothing", async () => {
    const before = git(repo.root, "rev-parse", session.branch);
    await assert.rejects(store.rewind(session.id, 99), { code: "invalid-argument" });
    await assert.rejects(store.rewind(session.id, -1), { code: "invalid-argument" });
    assert.equal(git(repo.root, "rev-parse", session.branch), before);
  });

  it("leaves the user's tree alone", () => {
    assert.equal(git(repo.root, "status", "--porcelain"), "");
    assert.ok(existsSync(join(repo.root, "README.md")));
  });
});
