// Format choice from a GGUF's metadata when the metadata is bad: a template that fails to render,
// one without tool support, a vocabulary without a marker's token. Each gives one clear message that
// names the model and the fallback, never a crash or a silent wrong format.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseFormat, createAdapter, splitMarkers } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";

const LFM2_LIKE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if tools %}<|tool_call_start|>{% endif %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

describe("format choice on bad metadata", () => {
  it("a template that fails to render: the family's format with the built-in framing, and a message naming the model", () => {
    const broken = "{{ raise_exception('no') }}<|tool_call_start|>";
    const choice = chooseFormat({ chatTemplate: broken, name: "tiny-broken" });
    assert.equal(choice.format, "lfm2-pythonic");
    assert.equal(choice.warnings.length, 1);
    assert.match(choice.warnings[0]!, /^The chat template of tiny-broken failed to render \(.+\); using the built-in lfm2-pythonic framing\.$/);
    const adapter = createAdapter(choice.format, choice.options);
    assert.equal(adapter.framing, "chatml");
    assert.ok(adapter.renderPreamble(toolDefinitions).startsWith("<|im_start|>system\n"));
  });

  it("a template that does not parse at all is the same case", () => {
    const choice = chooseFormat({ chatTemplate: "{% for %}<TOOLCALL>", name: "tiny-unparsable" });
    assert.equal(choice.format, "nemotron");
    assert.match(choice.warnings[0]!, /tiny-unparsable failed to render.*built-in nemotron framing/);
    assert.equal(createAdapter(choice.format, choice.options).framing, "nemotron");
  });

  it("a template without tool support: plain, and a message naming the model", () => {
    const choice = chooseFormat({ chatTemplate: "{% for m in messages %}<|im_start|>{{ m.content }}<|im_end|>{% endfor %}", name: "tiny-chat-only", architecture: "mamba2" });
    assert.equal(choice.format, "plain");
    assert.deepEqual(choice.warnings, ["The chat template of tiny-chat-only has no tool-call syntax we know; using the plain format."]);
  });

  it("a vocabulary lacking a marker's token: the format stays, and the message names the marker", () => {
    const choice = chooseFormat({ chatTemplate: LFM2_LIKE, name: "tiny-lfm2", specialTokens: ["<|im_start|>", "<|im_end|>", "<|tool_call_start|>"] });
    assert.equal(choice.format, "lfm2-pythonic");
    assert.deepEqual(choice.warnings, ["The vocabulary of tiny-lfm2 has no single token for <|tool_call_end|>; the marker is written as text."]);
    assert.equal(createAdapter(choice.format, choice.options).framing, "template");
  });

  it("a Granite-style and an LFM2-style template are told apart by the table", () => {
    assert.equal(chooseFormat({ chatTemplate: "<|start_of_role|>{{ x }}<|tool_call|>" }).format, "granite3");
    assert.equal(chooseFormat({ chatTemplate: "<|start_of_role|><tool_call>" }).options.dialect, "granite");
    assert.equal(chooseFormat({ chatTemplate: '<|tool_call_start|>{"name": "\' + n + \'", "arguments": ' }).format, "lfm2-json");
  });

  it("a marker inside an argument stays content; only the syntax's own markers become special", () => {
    const adapter = createAdapter("lfm2-pythonic");
    const text = adapter.render({ tool: "outline", args: { path: "<|tool_call_end|>" } }, toolDefinitions);
    const segments = splitMarkers(text, adapter.markers);
    assert.deepEqual(segments.filter((s) => s.special).map((s) => s.text), ["<|tool_call_start|>", "<|tool_call_end|>"]);
    assert.ok(segments.some((s) => !s.special && s.text.includes("<|tool_call_end|>")));
  });
});
