// `export` from a shell on a repository with a recorded session (real git, the real session store):
// one schema-valid line per session, token ids with --model; bad input gets exit 2 and a message.
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SessionStore } from "../../../extension/core/sessions";
import { exportRecordProblems, type ExportRecord } from "../../../extension/core/training/exportFormat";
import { Repo } from "../fromGit/gitFixture";
import { runCli } from "../cli/runCli";
import { tinyModel } from "../native/tinyModels";

describe("export from a shell", () => {
  let scratch: string;
  let repo: Repo;
  let sessionId: string;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-export-cli-"));
    repo = new Repo(join(scratch, "repo"));
    repo.write("README.md", "# Export\n");
    repo.commit("start");
    const store = await SessionStore.open(repo.dir);
    const session = await store.start({ task: "Read the readme" });
    sessionId = session.id;
    await session.recordStep({ effect: "reads", call: { tool: "open_range", args: { path: "README.md" } }, observation: { ok: true, text: "1│# Export" } });
    await session.recordStep({ effect: "ends", call: { tool: "finish", args: {}, body: "Read." }, observation: { ok: true, text: "finished" } });
    await session.finish("Read.");
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes one schema-valid line per session, with token ids when given the model", async () => {
    const out = join(scratch, "all.jsonl");
    const model = await tinyModel("mamba2");
    const run = await runCli(["export", repo.dir, "--all", "--out", out, "--model", model]);
    assert.equal(run.code, 0, run.stderr);
    const records = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as ExportRecord);
    assert.equal(records.length, 1);
    assert.deepEqual(exportRecordProblems(records[0]), []);
    assert.equal(records[0]!.sessionId, sessionId);
    assert.equal(records[0]!.finished, true);
    assert.ok(records[0]!.spans.every((s) => Array.isArray(s.tokens) && s.tokens.length > 0));
    assert.deepEqual(records[0]!.spans.map((s) => s.role), ["preamble", "task", "task", "call", "observation", "observation", "call"]);
  });

  it("refuses a missing session, both selectors and a folder without a repository", async () => {
    const out = join(scratch, "x.jsonl");
    let run = await runCli(["export", repo.dir, "--session", "2020-01-01-nothing", "--out", out]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /there is no session "2020-01-01-nothing"/);
    run = await runCli(["export", repo.dir, "--session", sessionId, "--all", "--out", out]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exactly one of --session ID and --all/);
    run = await runCli(["export", scratch, "--all", "--out", out]);
    assert.equal(run.code, 2);
  });
});
