// The panel protocol's runtime guards: what each end accepts, and that bad input is rejected with a
// reason, never half-accepted.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HostMessageSchema, initialSnapshot, isHostMessage, isWebviewMessage, reducePanel, WebviewMessageSchema, whyInvalid, type StepCard } from "../../../webview/protocol";

const card: StepCard = {
  step: 3,
  tool: "edit",
  keyArgs: "src/a.ts:10-12",
  summary: "replaced 3 lines",
  ok: true,
  diffStat: { files: 1, insertions: 3, deletions: 2 },
  commit: "0123456789abcdef",
  call: '<tool_call>{"name":"edit"}</tool_call>',
  observation: "ok",
};

describe("webview -> host guard", () => {
  it("accepts every message the panel sends", () => {
    for (const m of [
      { type: "ready", version: 1 },
      { type: "startTask", task: "rename foo" },
      { type: "pause" },
      { type: "resume" },
      { type: "stop" },
      { type: "pickModel" },
      { type: "command", command: "solveIssue" },
      { type: "sessionAction", action: "discard", sessionId: "s1" },
    ]) {
      assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
    }
  });

  it("rejects unknown types, unknown commands, blank tasks and missing fields", () => {
    for (const m of [
      null,
      "ready",
      { type: "exec", command: "rm -rf /" },
      { type: "command", command: "rm -rf" },
      { type: "startTask", task: "   " },
      { type: "startTask" },
      { type: "ready" },
      { type: "sessionAction", action: "merge", sessionId: "s1" },
      { type: "sessionAction", action: "accept" },
    ]) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });

  it("says why a message was rejected", () => {
    const why = whyInvalid(WebviewMessageSchema, { type: "sessionAction", action: "merge", sessionId: "s1" });
    assert.match(why ?? "", /action/);
    assert.equal(whyInvalid(WebviewMessageSchema, { type: "stop" }), undefined);
  });
});

describe("host -> webview guard", () => {
  it("accepts a finished step and a full snapshot", () => {
    assert.equal(isHostMessage({ type: "stepFinished", card }), true);
    const snapshot = {
      model: { name: "tiny.gguf", state: "loading", progress: 0.5 },
      session: { id: "s", task: "t", branch: "infinite/t", phase: "running", steps: [card], earlierSteps: 0, notes: "", meters: { tokens: 10, budgets: [] } },
      trusted: true,
    };
    assert.equal(isHostMessage({ type: "snapshot", snapshot }), true);
    const { trusted: _, ...withoutTrust } = snapshot;
    assert.equal(isHostMessage({ type: "snapshot", snapshot: withoutTrust }), false, "a snapshot must say whether the workspace is trusted");
  });

  it("carries Workspace Trust: the trust event and the Manage Workspace Trust command", () => {
    assert.equal(isHostMessage({ type: "trust", trusted: false }), true);
    assert.equal(isHostMessage({ type: "trust", trusted: "no" }), false);
    assert.equal(isWebviewMessage({ type: "command", command: "manageWorkspaceTrust" }), true);
    assert.equal(isHostMessage({ type: "test", requestId: "r", action: { kind: "press", control: "manage-trust" } }), true);
    const restricted = reducePanel(initialSnapshot(), { type: "trust", trusted: false });
    assert.equal(initialSnapshot().trusted, true);
    assert.equal(restricted.trusted, false);
    assert.equal(reducePanel(restricted, { type: "trust", trusted: true }).trusted, true);
  });

  it("rejects negative or fractional step numbers, progress beyond 1 and unknown model states", () => {
    assert.equal(isHostMessage({ type: "stepFinished", card: { ...card, step: -1 } }), false);
    assert.equal(isHostMessage({ type: "stepFinished", card: { ...card, step: 1.5 } }), false);
    assert.equal(isHostMessage({ type: "stepFinished", card: { ...card, diffStat: { files: 1 } } }), false);
    assert.equal(isHostMessage({ type: "model", model: { name: "m", state: "loading", progress: 1.5 } }), false);
    assert.equal(isHostMessage({ type: "model", model: { name: "m", state: "melting" } }), false);
    assert.match(whyInvalid(HostMessageSchema, { type: "stepFinished", card: { ...card, ok: "yes" } }) ?? "", /card\.ok/);
  });

  it("accepts the test requests and the legacy status line", () => {
    assert.equal(isHostMessage({ type: "test", requestId: "r", action: { kind: "press", control: "start" } }), true);
    assert.equal(isHostMessage({ type: "test", requestId: "r", action: { kind: "press", control: "format-disk" } }), false);
    assert.equal(isHostMessage({ type: "status", text: "Idle", busy: false }), true);
  });
});
