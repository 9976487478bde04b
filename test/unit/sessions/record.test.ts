// A recorded session on real git: one commit per state-changing step, trailers that give back the
// exact calls, and a trace that gives back every observation, read-only steps included.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseStepTrailers, parseTrace, SessionStore, type Session, type StepInput } from "../../../extension/core/sessions/index";
import { git, makeRepo, write } from "./gitRepo";

function twentySteps(): StepInput[] {
  const steps: StepInput[] = [];
  for (let i = 1; i <= 20; i++) {
    if (i % 3 === 0) steps.push({ effect: "reads", call: { tool: "read_file", args: { path: "src/a.ts", start: i } }, observation: { ok: true, text: `line ${i}: "quoted" \n tab\t ünïcode ✓` } });
    else steps.push({ effect: "writes", call: { tool: "write_file", args: { path: `src/f${i}.ts`, overwrite: i % 2 === 0 }, body: `export const v${i} = "${i}";\n// a: b\n\nTrailer-Like: no\n` }, observation: { ok: true, text: `wrote src/f${i}.ts`, changedFiles: [`src/f${i}.ts`] } });
  }
  return steps;
}

describe("recording a session", () => {
  const repo = makeRepo();
  let store: SessionStore;
  let session: Session;
  const steps = twentySteps();
  const commits: (string | undefined)[] = [];

  before(async () => {
    store = await SessionStore.open(repo.root, { now: () => new Date("2026-11-21T10:00:00Z") });
    session = await store.start({ task: "Fix the parser: empty input!", issue: 42 });
    const t0 = performance.now();
    for (const step of steps) {
      if (step.effect === "writes") write(session.worktreePath, String(step.call.args.path), step.call.body!);
      commits.push((await session.recordStep(step)).commit);
    }
    console.log(`    recordStep: ${((performance.now() - t0) / steps.length).toFixed(0)} ms per step (20 steps, 13 writes)`);
  });
  after(() => repo.cleanup());

  it("names the branch after the date, the issue and the task", () => {
    assert.equal(session.branch, "infinite/2026-11-21-issue-42-fix-the-parser-empty-input");
    assert.equal(git(repo.root, "rev-parse", "--abbrev-ref", "HEAD").trim(), "main", "the user's branch stays checked out");
  });

  it("makes one commit per state-changing step, none for read-only steps", () => {
    const writes = steps.filter((s) => s.effect === "writes").length;
    const log = git(repo.root, "rev-list", "--reverse", `main..${session.branch}`).trim().split("\n");
    assert.equal(log.length, writes);
    assert.deepEqual(log, commits.filter(Boolean));
    steps.forEach((s, i) => assert.equal(commits[i] !== undefined, s.effect === "writes", `step ${i + 1}`));
  });

  it("writes trailers that parse back to the exact calls", () => {
    const out = git(repo.root, "log", "--reverse", "--format=%H%x00%(trailers:only,unfold)%x01", `main..${session.branch}`);
    const parsed = out.split("\x01").map((c) => c.trim()).filter(Boolean).map((c) => parseStepTrailers(c.split("\0")[1]!));
    const expected = steps.map((s, i) => ({ sessionId: session.id, step: i + 1, call: s.call })).filter((_, i) => steps[i]!.effect === "writes");
    assert.deepEqual(parsed, expected);
    const subject = git(repo.root, "log", "-1", "--format=%s", commits[0]!).trim();
    assert.equal(subject, "write_file path=src/f1.ts overwrite=false");
    assert.equal(git(repo.root, "interpret-trailers", "--parse", "--no-divider").length >= 0, true);
  });

  it("keeps a trace that gives back every call and observation, read-only ones too", async () => {
    const trace = parseTrace(await session.exportTrace());
    assert.equal(trace.header.sessionId, session.id);
    assert.equal(trace.header.issue, 42);
    assert.equal(trace.header.base.ref, "main");
    assert.equal(trace.header.base.commit, git(repo.root, "rev-parse", "main").trim());
    assert.deepEqual(trace.steps.map((s) => ({ call: s.call, observation: s.observation, effect: s.effect })), steps);
    assert.deepEqual(trace.steps.map((s) => s.commit), commits);
  });

  it("reconstructs the trace from the refs alone, in a fresh clone of them", async () => {
    const clone = makeRepo();
    try {
      git(clone.root, "fetch", "-q", repo.root, `refs/heads/${session.branch}:refs/heads/${session.branch}`, `refs/infinite/traces/${session.id}:refs/infinite/traces/${session.id}`);
      const other = await SessionStore.open(clone.root);
      const [info] = await other.list();
      assert.equal(info?.id, session.id);
      assert.equal(info?.steps, 20);
      assert.equal(info?.status, "active");
    } finally {
      clone.cleanup();
    }
  });

  it("finishes with a summary, then refuses more steps", async () => {
    await session.finish("Fix the parser for empty input");
    const info = await store.info(session.id);
    assert.equal(info.status, "finished");
    assert.equal(info.summary, "Fix the parser for empty input");
    await assert.rejects(session.recordStep(steps[0]!), { code: "session-not-active" });
    assert.equal((await session.readTrace()).steps.length, 20);
  });

  it("keeps the worktree and snapshots out of the user's tree", () => {
    assert.ok(session.worktreePath.startsWith(join(repo.root, ".git", "infinite-tool-use")));
    assert.ok(session.snapshotPath(3).startsWith(join(repo.root, ".git", "infinite-tool-use", "snapshots")));
    assert.equal(git(repo.root, "status", "--porcelain", "--untracked-files=all"), "");
    assert.ok(existsSync(join(session.worktreePath, "src/f20.ts")));
    assert.equal(readFileSync(join(repo.root, "src/a.ts"), "utf8"), "export const a = 1;\n");
  });
});

describe("a large body is stored once", () => {
  const repo = makeRepo();
  after(() => repo.cleanup());

  it("keeps a 200 KB body in the trace record only; the commit's trailer names that record", async () => {
    const store = await SessionStore.open(repo.root);
    const session = await store.start({ task: "big" });
    const body = "0123456789abcdef\n".repeat(12_000);
    write(session.worktreePath, "big.txt", body);
    const { commit } = await session.recordStep({ effect: "writes", call: { tool: "create_file", args: { path: "big.txt" }, body }, observation: { ok: true, text: "created big.txt" } });
    const message = git(repo.root, "log", "-1", "--format=%B", commit!);
    assert.ok(message.length < 400, `the commit message is ${message.length} bytes`);
    assert.match(message, /^Body-In-Trace: step-000001\.json$/m);
    const trailers = parseStepTrailers(git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)", commit!));
    assert.equal(trailers?.bodyInTrace, "step-000001.json");
    const record = git(repo.root, "show", `refs/infinite/traces/${session.id}:step-000001.json`);
    assert.equal(JSON.parse(record).call.body, body);
    assert.equal((await session.readTrace()).steps[0]!.call.body, body);
    assert.equal((await session.readTrace()).header.version, 2);
  });
});

// The branch and the trace move in one compare-and-swap transaction: a step that cannot move one of
// them moves neither, so the branch never holds a commit the trace does not know of, nor the reverse.
describe("the branch and the trace move together", () => {
  const repo = makeRepo();
  after(() => repo.cleanup());
  const step = (path: string): StepInput => ({ effect: "writes", call: { tool: "create_file", args: { path } }, observation: { ok: true, text: `created ${path}` } });
  const refsOf = (session: Session) => ({ branch: git(repo.root, "rev-parse", session.branch).trim(), trace: git(repo.root, "rev-parse", `refs/infinite/traces/${session.id}`).trim() });

  it("moves neither when the trace moved elsewhere, and says so", async () => {
    const store = await SessionStore.open(repo.root);
    const session = await store.start({ task: "trace moved" });
    write(session.worktreePath, "one.txt", "1\n");
    await session.recordStep(step("one.txt"));
    // Another writer puts the trace back one commit; the branch stays where the session left it.
    git(repo.root, "update-ref", `refs/infinite/traces/${session.id}`, `refs/infinite/traces/${session.id}~1`);
    const before = refsOf(session);
    write(session.worktreePath, "two.txt", "2\n");
    await assert.rejects(session.recordStep(step("two.txt")), (error: Error & { code?: string }) => error.code === "session-changed-elsewhere" && /rewound or continued elsewhere/.test(error.message));
    assert.deepEqual(refsOf(session), before, "the branch did not get the step's commit either");
  });

  it("moves neither when the branch moved elsewhere, and says so", async () => {
    const store = await SessionStore.open(repo.root);
    const session = await store.start({ task: "branch moved" });
    write(session.worktreePath, "one.txt", "1\n");
    await session.recordStep(step("one.txt"));
    git(repo.root, "update-ref", `refs/heads/${session.branch}`, `${session.branch}~1`);
    const before = refsOf(session);
    write(session.worktreePath, "two.txt", "2\n");
    await assert.rejects(session.recordStep(step("two.txt")), /moved outside this session/);
    assert.deepEqual(refsOf(session), before, "the trace did not get the step's record either");
  });

  it("records a read-only step after a write without a commit, and a later write on top", async () => {
    const store = await SessionStore.open(repo.root);
    const session = await store.start({ task: "mixed" });
    write(session.worktreePath, "one.txt", "1\n");
    const first = await session.recordStep(step("one.txt"));
    const read = await session.recordStep({ effect: "reads", call: { tool: "open_range", args: { path: "one.txt" } }, observation: { ok: true, text: "1" } });
    assert.equal(read.commit, undefined);
    write(session.worktreePath, "one.txt", "1\n2\n");
    const third = await session.recordStep(step("one.txt"));
    assert.deepEqual(third.diffStat, { files: 1, insertions: 1, deletions: 0 });
    assert.equal(git(repo.root, "rev-parse", `${third.commit}~1`).trim(), first.commit);
    assert.equal((await session.readTrace()).steps.map((s) => s.commit ?? "-").join(" "), `${first.commit} - ${third.commit}`);
  });
});
