// Step attachments on the panel's wire: a rendered view only as a PNG data URI (the one kind of
// image the panel's CSP admits besides its own files), an outline as plain data; the host folds
// the loop's attachment into the card, and the recorder never puts it in the trace.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyAgentEvent, PanelState } from "../../../extension/host/panel/panelState";
import { isHostMessage, type StepCard } from "../../../webview/protocol";

const card = (attachment: unknown): { type: "stepFinished"; card: StepCard } =>
  ({ type: "stepFinished", card: { step: 1, tool: "render_view", keyArgs: "path=a.scad", summary: "rendered", ok: true, attachment } }) as never;

describe("step attachments", () => {
  it("accept a PNG data URI and an outline", () => {
    assert.ok(isHostMessage(card({ kind: "image", dataUri: "data:image/png;base64,iVBORw0KGgo=", width: 320, height: 320, caption: "a.scad, iso view" })));
    assert.ok(isHostMessage(card({ kind: "outline", path: "a.md", sections: [{ level: 2, title: "Intro", startLine: 1, endLine: 4, words: 12 }] })));
  });
  it("refuse anything else as an image", () => {
    for (const dataUri of ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "data:image/svg+xml;base64,PHN2Zz4=", "https://example.com/a.png", 'data:image/png;base64,AAA" onerror="x'])
      assert.equal(isHostMessage(card({ kind: "image", dataUri, width: 1, height: 1, caption: "" })), false, dataUri);
    assert.equal(isHostMessage(card({ kind: "outline", path: "a.md", sections: [{ level: 9, title: "x", startLine: 1, endLine: 1, words: 0 }] })), false);
  });
  it("reach the panel's card from the loop's event", () => {
    const state = new PanelState();
    state.sessionStarted({ id: "s", task: "t", branch: "b" });
    const attachment = { kind: "outline", path: "a.md", sections: [{ level: 1, title: "T", startLine: 1, endLine: 3, words: 5 }] } as const;
    applyAgentEvent(state, { type: "stepFinished", step: 1, tool: "outline_sections", keyArgs: "", ok: true, summary: "", tokens: 0, ms: 0, changedFiles: [], observation: "x", attachment });
    assert.deepEqual(state.snapshot().session?.steps[0]?.attachment, attachment);
  });
});
