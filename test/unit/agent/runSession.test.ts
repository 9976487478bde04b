// The one session run (core/agent/runSession.ts) on a real git repository, the real session tools
// and a real engine stream (a tiny generated mamba2 in-process): what it refuses before the model
// loads, that a model stream created for a session that then cannot be opened is freed, and that a
// replayed run records its steps (commits with their diff stats) and shows them as step views.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runSession, type ModelOpener, type SessionRunOptions } from "../../../extension/core/agent/runSession";
import { ModelPolicy } from "../../../extension/core/agent/modelPolicy";
import type { StepView } from "../../../extension/core/agent/stepView";
import { createAdapter } from "../../../extension/core/prompt/adapters";
import { SessionStore } from "../../../extension/core/sessions/sessionStore";
import { requireTool } from "../../../extension/core/tools/definitions";
import { createToolExecutor } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import type { ToolImplementation } from "../../../extension/core/tools/registry";
import { loadModel, type EngineModel } from "../../../native/engine/index";
import { tinyModel } from "../native/tinyModels";
import { git, makeRepo, write } from "../sessions/gitRepo";
import { roomy } from "./fakes";

/** A tool that writes one file in the worktree, so the step has something to commit. */
function writeTool(root: string): ToolImplementation {
  return {
    definition: requireTool("create_file"),
    run: async (call) => {
      write(root, String(call.args.path), call.body ?? "");
      return { ok: true, text: "created", changedFiles: [String(call.args.path)] };
    },
  };
}

function options(store: SessionStore, extra: Partial<SessionRunOptions> = {}): SessionRunOptions {
  return {
    store,
    budgets: roomy,
    createExecutor: (root, state) => ({ ...createToolExecutor({ implementations: [...sessionTools(), writeTool(root)], session: state, isTrusted: () => true }), dispose: () => undefined }),
    ...extra,
  };
}

describe("one session run", () => {
  let model: EngineModel;
  const opened: { disposed: boolean }[] = [];
  /** Opens a real engine stream on the tiny model and notes whether it was freed. */
  const engineOpener: ModelOpener = {
    async open() {
      const stream = await model.createSession();
      const record = { disposed: false };
      stream.onDispose(() => (record.disposed = true));
      opened.push(record);
      return { policy: new ModelPolicy(createAdapter("plain"), stream, { temperature: 0, seed: 1, maxTokensPerTurn: 16 }), stream, isOtherModelsState: () => false };
    },
  };

  before(async () => {
    model = await loadModel({ path: await tinyModel("mamba2"), gpu: false });
  });
  after(async () => {
    await model.dispose();
  });

  it("frees the model stream when the git session cannot be opened after the model was", async () => {
    const repo = makeRepo();
    try {
      // Worktrees go below a file: `git worktree add` fails only once the model stream exists.
      const blocked = join(repo.root, "not-a-folder");
      writeFileSync(blocked, "a file\n");
      const store = await SessionStore.open(repo.root, { worktreesRoot: join(blocked, "worktrees") });
      const before = opened.length;
      await assert.rejects(runSession({ kind: "start", task: "fix the greeting" }, options(store, { model: engineOpener })));
      assert.equal(opened.length, before + 1, "the model stream was opened");
      assert.equal(opened.at(-1)?.disposed, true, "the model stream of the failed start was not freed");
      assert.equal(git(repo.root, "for-each-ref", "refs/infinite/").trim(), "", "a trace was left behind");
    } finally {
      repo.cleanup();
    }
  });

  it("refuses a start before the model loads when the store would refuse it", async () => {
    const repo = makeRepo({ "a.txt": "base\n" });
    try {
      git(repo.root, "checkout", "-q", "-b", "side");
      write(repo.root, "a.txt", "side\n");
      git(repo.root, "commit", "-q", "-am", "side");
      git(repo.root, "checkout", "-q", "main");
      write(repo.root, "a.txt", "main\n");
      git(repo.root, "commit", "-q", "-am", "main");
      assert.throws(() => git(repo.root, "merge", "-q", "side"));
      const store = await SessionStore.open(repo.root);
      const before = opened.length;
      await assert.rejects(runSession({ kind: "start", task: "fix the greeting" }, options(store, { model: engineOpener })), /merge/i);
      assert.equal(opened.length, before, "the model was opened for a start the store refuses");
    } finally {
      repo.cleanup();
    }
  });

  it("records a replayed run's steps with their commits and diff stats, and shows each as a step view", async () => {
    const repo = makeRepo();
    try {
      // The script lives in the repository's .git folder: not a file the session would commit.
      const script = join(repo.root, ".git", "replay.jsonl");
      writeFileSync(script, [{ tool: "create_file", args: { path: "b.txt" }, body: "one\ntwo\n" }, { tool: "finish", args: {}, body: "Added b.txt." }].map((c) => JSON.stringify(c)).join("\n"));
      const store = await SessionStore.open(repo.root);
      const views: StepView[] = [];
      const watcher = { started: () => undefined, step: (view: StepView) => views.push(view), event: () => undefined };
      const running = await runSession({ kind: "start", task: "add b.txt", replay: script }, options(store, { watcher }));
      const end = await running.done;
      assert.equal(end.reason, "finished", end.message);
      assert.deepEqual(views.map((v) => [v.step, v.tool, v.diffStat]), [[1, "create_file", { files: 1, insertions: 2, deletions: 0 }], [2, "finish", undefined]]);
      assert.equal(views[0]?.commit, (await running.session.readTrace()).steps[0]?.commit);
      assert.equal(git(repo.root, "show", `${running.session.branch}:b.txt`), "one\ntwo\n");
    } finally {
      repo.cleanup();
    }
  });
});
