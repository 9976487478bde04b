// The task panel inside a real VS Code: the extension-side state is driven with the events an agent
// loop reports, and every assertion is on what the webview renders (read back from its DOM).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { screenshot } from "../support/browser";
import { activate, card, nextMessage, scriptMidSession, setTheme, showPanel } from "./support";

describe("task panel", function () {
  let api: ExtensionApi;

  before(async () => {
    api = await activate();
    await setTheme("Default Dark Modern");
    await showPanel(api);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
  });

  it("starts a typed task with the Start button and with Ctrl+Enter's path, as a typed message", async () => {
    const idle = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(idle.statusText, "Idle");
    assert.equal(idle.cards.length, 0);
    assert.equal(idle.enabled.start, true);
    assert.equal(idle.enabled.stop, false);
    assert.equal(idle.summaryVisible, false);
    assert.equal(idle.restrictedText, "", "a trusted workspace shows no Restricted Mode notice");

    // A blank task posts nothing (the next message is the one from the typed task).
    const started = nextMessage(api, "startTask");
    await api.taskPanel.testWebview({ kind: "press", control: "start" });
    await api.taskPanel.testWebview({ kind: "typeTask", text: "  Make add() handle bigint  " });
    await api.taskPanel.testWebview({ kind: "ctrlEnter" });
    assert.deepEqual(await started, { type: "startTask", task: "Make add() handle bigint" });
    const clicked = nextMessage(api, "startTask");
    await api.taskPanel.testWebview({ kind: "press", control: "start" });
    assert.deepEqual(await clicked, { type: "startTask", task: "Make add() handle bigint" });
  });

  it("runs Solve Issue from the issue picker button", async () => {
    const command = nextMessage(api, "command");
    await api.taskPanel.testWebview({ kind: "press", control: "pick-issue" });
    assert.deepEqual(await command, { type: "command", command: "solveIssue" });
  });

  it("shows the model, live step cards, the step in progress, notes and meters", async () => {
    scriptMidSession(api);
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.match(view.modelText, /granite-4\.0-h-350m-Q4_K_M\.gguf ready/);
    // The tool-call format a session chose, and why, on the line under the model name.
    assert.match(view.modelFormatText, /^format hermes — chosen because the chat template contains <tool_call>: /);
    assert.deepEqual(view.cards.map((c) => c.step), [1, 2, 3]);
    assert.match(view.cards[0].text, /^#1 open_range src\/math\.ts:1-21 21 lines of src\/math\.ts 1\.2 s$/);
    assert.match(view.cards[1].text, /failed: rejected: the edit leaves a syntax error/);
    assert.match(view.cards[2].text, /replaced 2 lines \+3 −2 in 1 file · 4f2a9c1 · 1\.2 s/);
    assert.ok(!view.cards[2].text.includes("alert"), "a closed card shows no observation text");
    assert.equal(view.runningText, "#4 run_task npm test — running…");
    assert.equal(view.statusText, "Running step 4: run_task (3 steps done)");
    assert.match(view.notesText, /add\(\) must accept bigint too\./);
    assert.match(view.metersText, /Speed 41\.7 tok\/s Step time 2\.3 s Tokens 18,234 State size 42 MiB Steps 3 \/ 200 \(197 left\) Minutes 2 \/ 60 \(58 left\)/);
    assert.deepEqual([view.enabled.start, view.enabled.pause, view.enabled.stop, view.enabled["pick-model"]], [false, true, true, false]);
    await screenshot("panel-dark-mid-session");
  });

  it("expands a card to its full call and observation, as text (never as markup)", async () => {
    const view = await api.taskPanel.testWebview({ kind: "toggleCard", step: 3 });
    const opened = view.cards.find((c) => c.step === 3);
    assert.ok(opened?.expanded);
    assert.match(opened.text, /Call <tool_call>\{"name":"open_range"/);
    assert.match(opened.text, /Observation src\/math\.ts:3-5 now reads: <script>alert\(1\)<\/script>/);
    await setTheme("Default Light Modern");
    await screenshot("panel-light-mid-session");
  });

  it("posts Pause and Resume, and shows the paused state", async () => {
    const pause = nextMessage(api, "pause");
    await api.taskPanel.testWebview({ kind: "press", control: "pause" });
    await pause;
    api.taskPanel.state.paused();
    const paused = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(paused.statusText, "Paused after 3 steps");
    const resume = nextMessage(api, "resume");
    await api.taskPanel.testWebview({ kind: "press", control: "pause" });
    await resume;
    api.taskPanel.state.resumed();
  });

  it("restores the timeline, open cards and the task draft when the view is hidden and shown again", async () => {
    const before = await api.taskPanel.testWebview({ kind: "describe" });
    await vscode.commands.executeCommand("workbench.view.explorer");
    await new Promise((r) => setTimeout(r, 500));
    // Events that arrive while the view is hidden must still show up afterwards.
    api.taskPanel.state.stepFinished(card(4, { tool: "run_task", keyArgs: "npm test", summary: "exit 0: 12 passed", call: undefined, observation: undefined }));
    await showPanel(api);
    const after = await api.taskPanel.testWebview({ kind: "describe" });
    assert.deepEqual(after.cards.slice(0, 3), before.cards);
    assert.equal(after.cards[3]?.step, 4);
    assert.equal(after.cards.find((c) => c.step === 3)?.expanded, true);
    assert.equal(after.taskDraft, "  Make add() handle bigint  ");
    assert.equal(after.notesText, before.notesText);
    assert.equal(after.metersText, before.metersText);
    assert.equal(after.runningText, "");
    const opened = await api.taskPanel.testWebview({ kind: "toggleCard", step: 4 });
    assert.match(opened.cards[3].text, /Call \(not recorded\) Observation \(not recorded\)$/);
  });

  it("shows the summary on finish with Review / Accept / Discard, each a typed message", async () => {
    api.taskPanel.state.sessionEnded({ outcome: "finished", reason: "the model called finish", summary: "add() now accepts bigint; 12 tests pass." });
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(view.summaryVisible, true);
    assert.match(view.summaryText, /Finished: the model called finish add\(\) now accepts bigint; 12 tests pass\. Review Accept Discard/);
    assert.equal(view.statusText, "Finished after 4 steps");
    assert.deepEqual([view.enabled.start, view.enabled.stop, view.enabled.review], [true, false, true]);
    await screenshot("panel-light-finished");
    for (const action of ["review", "accept", "discard"] as const) {
      const message = nextMessage(api, "sessionAction");
      await api.taskPanel.testWebview({ kind: "press", control: action });
      assert.deepEqual(await message, { type: "sessionAction", action, sessionId: "session-1" });
    }
    await setTheme("Default Dark Modern");
    await screenshot("panel-dark-finished");
    // About 235 px: the sidebar one step narrower than its default (the editor one step wider).
    await vscode.commands.executeCommand("workbench.action.increaseViewWidth");
    await new Promise((r) => setTimeout(r, 500));
    await screenshot("panel-dark-narrow-finished");
    await setTheme("Default High Contrast");
    await screenshot("panel-high-contrast-finished");
  });

  it("keeps a long timeline to the newest 500 cards with an 'earlier steps' line", async () => {
    const state = api.taskPanel.state;
    state.sessionStarted({ id: "session-long", task: "long", branch: "infinite/long" });
    const started = Date.now();
    for (let step = 1; step <= 620; step++) state.stepFinished(card(step));
    const view = await api.taskPanel.testWebview({ kind: "describe" }, 60_000);
    const ms = Date.now() - started;
    assert.equal(view.cards.length, 500);
    assert.equal(view.cards[0].step, 121);
    assert.equal(view.cards[499].step, 620);
    assert.equal(view.earlierText, "120 earlier steps (on the session branch)");
    assert.ok(view.cards.every((c) => !c.expanded), "a new session does not inherit the old one's open cards");
    console.log(`    620 step events rendered in ${ms} ms`);
    await showPanelAgain();
    const restored = await api.taskPanel.testWebview({ kind: "describe" }, 60_000);
    assert.equal(restored.cards.length, 500);
    assert.equal(restored.earlierText, "120 earlier steps (on the session branch)");
  });

  async function showPanelAgain(): Promise<void> {
    await vscode.commands.executeCommand("workbench.view.explorer");
    await new Promise((r) => setTimeout(r, 500));
    await showPanel(api);
  }
});
