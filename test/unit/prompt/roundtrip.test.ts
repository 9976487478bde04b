import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAdapter, isParseError, TOOL_CALL_FORMATS, type ProtocolAdapter } from "../../../extension/core/prompt";
import { callProblems } from "../../../extension/core/tools/validate";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { seededRandom } from "../../support/seededRandom";
import { randomCall } from "./randomCalls";

const adapters: ProtocolAdapter[] = [
  ...TOOL_CALL_FORMATS.map((f) => createAdapter(f)),
  createAdapter("hermes", { dialect: "granite", allowThinking: true }),
];

describe("render -> parse round trip", () => {
  for (const adapter of adapters) {
    it(`${adapter.format}${adapter.allowsThinking ? " (thinking)" : ""}: 500 random calls come back exactly and valid`, () => {
      const random = seededRandom(42);
      for (let i = 0; i < 500; i++) {
        const call = randomCall(random, toolDefinitions);
        assert.deepEqual(callProblems(call, toolDefinitions), [], `generator made an invalid call: ${JSON.stringify(call)}`);
        const text = adapter.render(call, toolDefinitions);
        const parsed = adapter.parse(text, toolDefinitions);
        assert.ok(!isParseError(parsed), `${JSON.stringify(text)}: ${JSON.stringify(parsed)}`);
        assert.deepEqual(parsed, call, JSON.stringify(text));
      }
    });
  }

  it("bodies keep tabs, CRLF, quotes and non-ASCII byte for byte", () => {
    const body = 'a\tb\r\n"c" \\n\r\nnaïve 日本 😀\r\n\r\nBODY>>> x\n';
    for (const adapter of adapters) {
      const call = { tool: "create_file", args: { path: "é.txt" }, body };
      const parsed = adapter.parse(adapter.render(call, toolDefinitions), toolDefinitions);
      assert.ok(!isParseError(parsed));
      assert.equal(Buffer.compare(Buffer.from(parsed.body ?? "", "utf8"), Buffer.from(body, "utf8")), 0);
    }
  });

  it("a body line that is exactly the closing marker cannot be rendered", () => {
    const adapter = createAdapter("plain");
    assert.throws(() => adapter.render({ tool: "finish", args: {}, body: "done\nBODY>>>\nmore" }, toolDefinitions), /closing marker/);
  });
});

describe("parse refuses malformed turns with a message", () => {
  const hermes = createAdapter("hermes");
  const plain = createAdapter("plain");
  const cases: [ProtocolAdapter, string, RegExp][] = [
    [hermes, "hello", /expected "<tool_call>"/],
    [hermes, '<tool_call>\n{"name": "goal"}\n</tool_call>', /"arguments" must be a JSON object/],
    [hermes, '<tool_call>\n{"name": "goal", "arguments": {}}\n</tool_call> extra', /unexpected text after the call/],
    [hermes, '<tool_call>\n{"name": "finish", "arguments": {}}\n<<<BODY\nunclosed', /not closed/],
    [plain, "@open_range path=", /not a JSON string/],
    [plain, '@open_range path="a', /unterminated string/],
    [plain, '@find query="a" query="b"', /given twice/],
  ];
  for (const [adapter, text, message] of cases) {
    it(`${adapter.format}: ${JSON.stringify(text)}`, () => {
      const parsed = adapter.parse(text, toolDefinitions);
      assert.ok(isParseError(parsed), `parsed: ${JSON.stringify(parsed)}`);
      assert.match(parsed.error, message);
    });
  }
});

describe("a <think> block", () => {
  it("is read as thinking before the call, only when the adapter allows it", () => {
    const text = '<think>\nLook first.\n</think>\n\n<tool_call>\n{"name": "goal", "arguments": {}}\n</tool_call>';
    const thinking = createAdapter("hermes", { allowThinking: true }).parse(text, toolDefinitions);
    assert.deepEqual(thinking, { tool: "goal", args: {}, thinking: "Look first." });
    assert.ok(isParseError(createAdapter("hermes").parse(text, toolDefinitions)));
  });
});
