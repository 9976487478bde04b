// The host's model of the panel: events fold into a snapshot that a re-shown view can be rebuilt from.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyAgentEvent, clip, PanelState, statusBarText, type PanelUpdate } from "../../../extension/host/panel/panelState";
import { reducePanel, initialSnapshot, type StepCard } from "../../../webview/protocol";

function card(step: number, extra: Partial<StepCard> = {}): StepCard {
  return { step, tool: "open_range", keyArgs: `src/a.ts:${step}`, summary: `read ${step}`, ok: true, call: `call ${step}`, observation: `obs ${step}`, ...extra };
}

describe("PanelState", () => {
  it("records a session's steps, notes, meters and end, and tells listeners each change", () => {
    const state = new PanelState();
    const seen: PanelUpdate[] = [];
    state.onDidChange((u) => seen.push(u));
    state.model({ name: "tiny.gguf", state: "ready" });
    state.sessionStarted({ id: "s1", task: "fix the bug", branch: "infinite/fix" });
    state.stepStarted({ step: 1, tool: "open_range", keyArgs: "src/a.ts:1" });
    assert.equal(state.snapshot().session?.running?.step, 1);
    state.stepFinished(card(1));
    state.notes("found it");
    state.meters({ tokens: 120, tokensPerSecond: 30, budgets: [{ label: "Steps", used: 1, limit: 200 }] });
    state.paused();
    assert.equal(state.snapshot().session?.phase, "paused");
    state.resumed();
    state.sessionEnded({ outcome: "finished", reason: "the model called finish", summary: "fixed" });

    const session = state.snapshot().session;
    assert.ok(session);
    assert.equal(session.phase, "ended");
    assert.equal(session.running, undefined, "the step in progress is gone once it finished");
    assert.deepEqual(session.steps.map((c) => c.step), [1]);
    assert.equal(session.notes, "found it");
    assert.equal(session.meters.tokens, 120);
    assert.equal(session.end?.summary, "fixed");
    assert.equal(state.snapshot().model.name, "tiny.gguf");
    assert.deepEqual(
      seen.map((u) => u.type),
      ["model", "sessionStarted", "stepStarted", "stepFinished", "notes", "meters", "sessionPhase", "sessionPhase", "sessionEnded"],
    );
  });

  it("keeps only the newest cards and counts the older ones", () => {
    const state = new PanelState({ maxCards: 3, maxDetailChars: 1000 });
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    for (let step = 1; step <= 5; step++) state.stepFinished(card(step));
    const session = state.snapshot().session;
    assert.deepEqual(session?.steps.map((c) => c.step), [3, 4, 5]);
    assert.equal(session?.earlierSteps, 2);
  });

  it("clips long calls and observations so a snapshot stays small", () => {
    const state = new PanelState({ maxCards: 10, maxDetailChars: 100 });
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    state.stepFinished(card(1, { observation: "x".repeat(1000) }));
    const observation = state.snapshot().session?.steps[0]?.observation ?? "";
    assert.ok(observation.startsWith("x".repeat(100)));
    assert.match(observation, /900 more characters/);
    assert.equal(clip("short", 100), "short");
  });

  it("replaces a step reported twice instead of showing it twice", () => {
    const state = new PanelState();
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    state.stepFinished(card(1, { summary: "first" }));
    state.stepFinished(card(1, { summary: "second" }));
    assert.deepEqual(state.snapshot().session?.steps.map((c) => c.summary), ["second"]);
  });

  it("ignores session events when no session is open, without notifying", () => {
    const state = new PanelState();
    let changes = 0;
    state.onDidChange(() => changes++);
    state.stepFinished(card(1));
    state.notes("orphan");
    state.sessionEnded({ outcome: "stopped", reason: "cancelled", summary: "" });
    assert.equal(state.snapshot().session, null);
    assert.equal(changes, 0);
  });

  it("does not un-end a session when a late pause or resume arrives", () => {
    const state = new PanelState();
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    state.sessionEnded({ outcome: "stopped", reason: "cancelled by the user", summary: "" });
    state.resumed();
    assert.equal(state.snapshot().session?.phase, "ended");
  });

  it("clears the session with a whole new snapshot for listeners", () => {
    const state = new PanelState();
    const seen: PanelUpdate[] = [];
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    state.onDidChange((u) => seen.push(u));
    state.clearSession();
    assert.equal(state.snapshot().session, null);
    assert.deepEqual(seen, [{ type: "snapshot", snapshot: { model: { name: "", state: "none" }, session: null, trusted: true } }]);
  });

  it("starts a new session from scratch", () => {
    let snapshot = reducePanel(initialSnapshot(), { type: "sessionStarted", session: { id: "a", task: "t", branch: "b" } });
    snapshot = reducePanel(snapshot, { type: "stepFinished", card: card(1) });
    snapshot = reducePanel(snapshot, { type: "sessionStarted", session: { id: "b", task: "t2", branch: "b2" } });
    assert.equal(snapshot.session?.id, "b");
    assert.deepEqual(snapshot.session?.steps, []);
  });
});

describe("statusBarText", () => {
  it("names the running step, and is busy only while running", () => {
    const state = new PanelState();
    assert.deepEqual(statusBarText(state.snapshot()), { text: "idle", busy: false });
    state.model({ name: "m", state: "downloading", progress: 0.1 });
    assert.deepEqual(statusBarText(state.snapshot()), { text: "model downloading", busy: false });
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    state.stepStarted({ step: 1, tool: "notes", keyArgs: "" });
    assert.deepEqual(statusBarText(state.snapshot()), { text: "step 1: notes", busy: true });
    state.stepFinished(card(1));
    state.sessionEnded({ outcome: "failed", reason: "model host crashed", summary: "" });
    assert.deepEqual(statusBarText(state.snapshot()), { text: "failed after 1 step", busy: false });
  });
});

describe("applyAgentEvent", () => {
  it("turns the agent loop's events into what the panel shows", () => {
    const state = new PanelState();
    state.sessionStarted({ id: "s", task: "t", branch: "infinite/t" });
    applyAgentEvent(state, { type: "stepStarted", step: 1 });
    assert.deepEqual(state.snapshot().session?.running, { step: 1 });
    applyAgentEvent(state, { type: "stepFinished", step: 1, tool: "edit", keyArgs: "path=a.ts", ok: true, summary: "edited", tokens: 40, ms: 900, commit: "abc1234", changedFiles: ["a.ts"], call: { tool: "edit", args: { path: "a.ts" } }, observation: "edited a.ts", diffStat: { files: 1, insertions: 2, deletions: 1 } });
    applyAgentEvent(state, { type: "notesChanged", notes: "n" });
    const budgets = { maxSteps: 200, maxTokens: 100_000, maxMs: 3_600_000, repeatLimit: 3 };
    applyAgentEvent(state, { type: "meters", meters: { steps: 1, tokens: 400, elapsedMs: 120_000, lastStepMs: 900, lastStepTokens: 40, tokensPerSecond: 44.4, budgets } });
    applyAgentEvent(state, { type: "ended", end: { reason: "repeat", message: "the same call 3 times", steps: 1, tokens: 400, elapsedMs: 120_000 } });
    const session = state.snapshot().session;
    assert.deepEqual(session?.steps[0], { step: 1, tool: "edit", keyArgs: "path=a.ts", summary: "edited", ok: true, commit: "abc1234", durationMs: 900, call: '{"tool":"edit","args":{"path":"a.ts"}}', observation: "edited a.ts", diffStat: { files: 1, insertions: 2, deletions: 1 } });
    assert.equal(session?.running, undefined);
    assert.equal(session?.notes, "n");
    assert.deepEqual(session?.meters.budgets, [
      { label: "Steps", used: 1, limit: 200 },
      { label: "Tokens", used: 400, limit: 100_000 },
      { label: "Minutes", used: 2, limit: 60 },
    ]);
    assert.deepEqual(session?.end, { outcome: "stopped", reason: "the same call 3 times", summary: "" });
  });
});
