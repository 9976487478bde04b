// The model host inside a real VS Code: llama.cpp runs in a child process, a SIGKILL of that
// process mid-generation leaves the extension up, is reported with the host's last log lines, and
// the next request starts a fresh host that generates again.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { writeTinyModel } from "../../models/tinyModel";
import { activate, extensionId } from "../support/vscode";

const CALL_GRAMMAR = 'root ::= "read_file(" [a-z]{1,8} ".ts)"';
const ENDLESS_GRAMMAR = "root ::= [a-z ] root";

describe("model host", function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let modelPath: string;

  before(async () => {
    api = await activate();
    const runDir = process.env.ITU_RUN_DIR;
    assert.ok(runDir, "ITU_RUN_DIR is not set");
    modelPath = join(runDir, "tiny-mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: modelPath });
  });

  it("loads a model in a separate process and generates grammar-constrained calls", async () => {
    const info = await api.model.loadModel(modelPath);
    assert.equal(info.architecture, "mamba2");
    assert.equal(info.kind, "recurrent");
    assert.equal(info.backend, "cpu");
    const pid = api.model.client.pid;
    assert.ok(pid && pid !== process.pid, "llama.cpp must run outside the extension host");
    const { sessionId } = await api.model.client.createSession();
    await api.model.client.append({ sessionId, text: "You act only through tools.\n" });
    const result = await api.model.client.generate({ sessionId, grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.5, seed: 2 });
    assert.match(result.text, /^read_file\([a-z]{1,8}\.ts\)$/);
  });

  it("survives a SIGKILL of the host mid-generation, reports it, and generates after a restart", async () => {
    const client = api.model.client;
    const { sessionId } = await client.createSession();
    await client.append({ sessionId, text: "go" });
    const killedPid = client.pid!;
    const crashed = new Promise<string>((resolve) => {
      const sub = api.model.onDidCrash((report) => { sub.dispose(); resolve(report.message); });
    });
    let chunks = 0;
    const error = await client.generate({ sessionId, grammar: ENDLESS_GRAMMAR, maxTokens: 1_000_000, temperature: 1 }, {
      onText: () => { if (++chunks === 20) process.kill(killedPid, "SIGKILL"); },
    }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(error, "the generation should fail when its host dies");
    assert.equal(error.name, "HostCrashedError", String(error));
    assert.match(error.message, /SIGKILL/);

    // Reported: what happened, with the host's last log lines.
    const message = await crashed;
    assert.match(message, /model host was killed \(SIGKILL/);
    const report = api.model.crashReports.at(-1)!;
    assert.ok(report.exit.stderrTail.some((line) => /model host \d+ ready/.test(line)), report.exit.stderrTail.join("\n"));
    assert.equal(api.model.modelInfo, undefined);

    // The extension is still up (this suite runs inside its extension host): active, commands run.
    assert.equal(vscode.extensions.getExtension(extensionId)?.isActive, true);
    await vscode.commands.executeCommand("infiniteToolUse.showLog");
    assert.equal(api.model.client.running, false);

    // The next request starts a fresh host.
    const info = await api.model.loadModel(modelPath);
    assert.equal(info.architecture, "mamba2");
    assert.notEqual(api.model.client.pid, killedPid);
    const fresh = await api.model.client.createSession();
    await api.model.client.append({ sessionId: fresh.sessionId, text: "again\n" });
    const result = await api.model.client.generate({ sessionId: fresh.sessionId, grammar: CALL_GRAMMAR, maxTokens: 40 });
    assert.match(result.text, /^read_file\(/);
  });
});
