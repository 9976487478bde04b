// The grammar admits exactly what the renderer writes: every rendered random call is in the
// grammar's language, and texts that break a rule (out-of-range integers, a closing marker inside a
// body, invalid escapes, an unknown tool) are not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAdapter, TOOL_CALL_FORMATS, type ProtocolAdapter } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { gbnfToRegex } from "./gbnfRegex";
import { seededRandom } from "../../support/seededRandom";
import { randomCall } from "./randomCalls";

const adapters: ProtocolAdapter[] = [...TOOL_CALL_FORMATS.map((f) => createAdapter(f)), createAdapter("hermes", { allowThinking: true })];

describe("grammar and renderer agree", () => {
  for (const adapter of adapters) {
    const name = `${adapter.format}${adapter.allowsThinking ? " (thinking)" : ""}`;
    const language = gbnfToRegex(adapter.grammar(toolDefinitions));

    it(`${name}: 300 rendered random calls are in the grammar`, () => {
      const random = seededRandom(7);
      for (let i = 0; i < 300; i++) {
        const text = adapter.render(randomCall(random, toolDefinitions), toolDefinitions);
        assert.ok(language.test(text), JSON.stringify(text));
      }
    });

    it(`${name}: rule-breaking texts are not`, () => {
      const render = (tool: string, args: Record<string, string | number | boolean>, body?: string) =>
        adapter.render({ tool, args, ...(body !== undefined ? { body } : {}) }, toolDefinitions);
      const good = render("open_range", { path: "a.ts", start: 10_000_000 });
      assert.ok(language.test(good));
      const bad = [
        good.replace("10000000", "10000001"),
        good.replace("10000000", "0"),
        good.replace("10000000", "010"),
        good.replace("10000000", "1e3"),
        good.replace("10000000", "-1"),
        good.replace("a.ts", "a\\u0041.ts"),
        good.replace("a.ts", "a\u0001.ts"),
        good.replace("a.ts", "a\ufffd.ts"),
        good.replace("open_range", "open_rang"),
        render("finish", {}, "done").replace("done", "done\nBODY>>>\nmore"),
        render("notes", { action: "read" }).replace(/(["'])read\1/, "$1erase$1"), // JSON or pythonic quotes
        render("goal", {}) + "\n",
      ];
      for (const text of bad) assert.ok(!language.test(text), `admitted: ${JSON.stringify(text)}`);
    });
  }

  it("bounded grammars cap string length in code points", () => {
    const adapter = createAdapter("plain");
    const language = gbnfToRegex(adapter.grammar(toolDefinitions, { maxStringChars: 5 }));
    assert.ok(language.test('@find query="😀😀😀😀😀"'));
    assert.ok(!language.test('@find query="😀😀😀😀😀😀"'));
  });
});
