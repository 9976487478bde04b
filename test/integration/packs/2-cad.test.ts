// A replayed CAD session in a real VS Code with the real OpenSCAD: it writes a .scad file with a
// syntax error, cad_check reports the error with its line, the fix compiles, three views are rendered
// (PNGs of the right size with content, ASCII depth images that differ), a model that loops forever
// is killed at the timeout setting, and one that includes a file outside the workspace is refused.
import * as assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { screenshot } from "../support/browser";
import { until } from "../support/vscode";
import { activate, git, initRepository, pngFacts, setTheme, showPanel, reviewedFiles, traces, workspace } from "./support";

const depthOf = (text: string) => text.split("\n").filter((l) => l.startsWith("|")).join("\n");

describe("a replayed CAD session", function () {
  this.timeout(240_000);
  let api: ExtensionApi;

  before(async () => {
    initRepository();
    api = await activate();
    await vscode.workspace.getConfiguration("infiniteToolUse.tools").update("cadTimeoutSeconds", 4, vscode.ConfigurationTarget.Workspace);
    await setTheme("Default Light Modern");
    await showPanel(api);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("infiniteToolUse.tools").update("cadTimeoutSeconds", undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
  });

  it("writes, checks, fixes and renders a bracket, and refuses the bad models", async () => {
    // Where escape.scad's include would land from the session's worktree: if it were read, the
    // render would show this 999-unit cube.
    const worktrees = join(workspace, ".git/infinite-tool-use/worktrees");
    mkdirSync(worktrees, { recursive: true });
    writeFileSync(join(worktrees, "outside.scad"), "cube(999);\n");
    const running = await api.workbench.start("Build a wall bracket in OpenSCAD and check it from several sides", { replay: join(traces, "cad-bracket.jsonl") });
    const end = await running.done;
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 10);
    const branch = running.session.branch;
    assert.match(git("show", `${branch}:models/bracket.scad`), /^cube\(plate\);$/m);

    const trace = (await running.session.readTrace()).steps;
    const at = (step: number) => trace[step - 1]!.observation;
    assert.equal(at(2).ok, false);
    assert.match(at(2).text, /models\/bracket\.scad does not compile: 1 error.*\n- models\/bracket\.scad:3: error: Parser error/);
    assert.equal(at(4).ok, true, at(4).text);
    assert.match(at(4).text, /compiles without errors/);
    const views = [5, 6, 7].map(at);
    for (const view of views) {
      assert.equal(view.ok, true, view.text);
      assert.match(view.text, /Bounding box: \[0, 0, 0\] to \[40, 30, 30\] \(size 40 x 30 x 30\)/);
      assert.match(view.text, /Volume: \d+ cubic units; parts: [12]; triangles: \d+/);
      assert.match(view.text, /Warnings: none/);
    }
    const depths = views.map((v) => depthOf(v.text));
    assert.equal(new Set(depths).size, 3, `the depth images do not differ:\n${depths.join("\n----\n")}`);
    assert.match(views[1]!.text, /top view \(rotation 0, 0, 0\), zoom 100%, ortho/);
    assert.equal(at(8).ok, false);
    assert.match(at(8).text, /OpenSCAD was stopped after 4 s on models\/loops-forever\.scad \(the infiniteToolUse\.tools\.cadTimeoutSeconds setting\)/);
    assert.equal(at(9).ok, false);
    assert.match(at(9).text, /models\/escape\.scad:2: include names "\.\.\/\.\.\/outside\.scad", which is outside the workspace.*OpenSCAD was not run/s);
    assert.doesNotMatch(at(9).text, /999/);

    // The PNGs reach the panel (not the trace): the right size, and a model on a background.
    const cards = api.taskPanel.state.snapshot().session!.steps;
    for (const step of [5, 6, 7]) {
      const attachment = cards.find((c) => c.step === step)?.attachment;
      assert.ok(attachment?.kind === "image", `step ${step} has no image`);
      const png = pngFacts(Buffer.from(attachment.dataUri.replace(/^data:image\/png;base64,/, ""), "base64"));
      assert.deepEqual([png.width, png.height], [320, 320]);
      assert.ok(png.foreground > 0.05 && png.foreground < 0.95, `step ${step}: ${(png.foreground * 100).toFixed(1)}% of the pixels differ from the background`);
    }
    assert.ok(trace.every((s) => !("attachment" in s.observation)));
    assert.deepEqual(await reviewedFiles(running.session.id), ["models/bracket.scad"]);
  });

  it("shows the rendered views in the step cards, allowed by the panel's CSP", async () => {
    // Data URIs decode asynchronously: wait until the three views have loaded (0 x 0 while not).
    let seen = "";
    const view = await until(
      () => `the rendered views to load in the panel (saw ${seen})`,
      async () => {
        const described = await api.taskPanel.testWebview({ kind: "describe" });
        seen = JSON.stringify(described.cards.map((c) => c.image ?? null));
        return [4, 5, 6].every((i) => described.cards[i]?.image?.width === 320 && described.cards[i]?.image?.height === 320) && described;
      },
      10_000,
      200,
    );
    assert.equal(view.cards.length, 10);
    assert.match(view.cards[5]!.text, /models\/bracket\.scad, top view/);
    await api.taskPanel.testWebview({ kind: "revealCard", step: 5 });
    await screenshot("packs-cad-light");
    await setTheme("Default Dark Modern");
    await screenshot("packs-cad-dark");
  });
});
