// Runs after sessions.test.ts (file order), which makes the fixture a repository.
// Sessions view → Export Session as Training Data in a real VS Code: a recorded session is written
// as one export line whose spans are the adapter's rendering, labelled by role, and valid against
// the export schema.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { createAdapter } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { exportRecordProblems, type ExportRecord } from "../../../extension/core/training/exportFormat";
import { activate } from "../support/vscode";

const workspace = process.env.ITU_WORKSPACE!;
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };
const git = (...args: string[]) => execFileSync("git", args, { cwd: workspace, env: gitEnv, encoding: "utf8" });

describe("export a session as training data", () => {
  before(() => {
    if (existsSync(join(workspace, ".git"))) return;
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "fixture");
  });

  it("writes the session's spans (preamble, task, calls, observations) in the chosen format", async () => {
    const sessions = (await activate()).sessions;
    sessions.refresh();
    const [store] = await sessions.stores();
    assert.ok(store);
    const session = await store.start({ task: "Look at the readme" });
    const read = { tool: "open_range", args: { path: "README.md" } };
    await session.recordStep({ effect: "reads", call: read, observation: { ok: true, text: "1│# Sessions fixture" } });
    await session.recordStep({ effect: "ends", call: { tool: "finish", args: {}, body: "Read it." }, observation: { ok: true, text: "finished" } });
    const out = join(process.env.ITU_RUN_DIR!, "export.jsonl");
    const written = await vscode.commands.executeCommand<string>("infiniteToolUse.sessions.export", session.id, { out, format: "hermes" });
    assert.equal(written, out);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]!) as ExportRecord;
    assert.deepEqual(exportRecordProblems(record), []);
    assert.equal(record.toolCallFormat, "hermes");
    assert.deepEqual(record.spans.map((s) => s.role), ["preamble", "task", "task", "call", "observation", "observation", "call"]);
    const adapter = createAdapter("hermes");
    assert.equal(record.spans[3]!.text, adapter.render(read, toolDefinitions));
    assert.equal(record.spans[4]!.text, adapter.renderObservation({ ok: true, text: "1│# Sessions fixture" }));
    assert.equal(record.spans[0]!.text, adapter.renderPreamble(toolDefinitions));
  });
});
