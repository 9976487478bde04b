// The JSON Lines trace: round trip, and clear refusals of malformed input (line numbers included).
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStepTrailers, parseTrace, serializeTrace, slugify, traceVersion, type Trace } from "../../../extension/core/sessions/index";
import { formatStepMessage, inlineBodyLimit } from "../../../extension/core/sessions/traceFormat";

const trace: Trace = {
  header: { type: "header", version: 1, sessionId: "2026-11-21-x", branch: "infinite/2026-11-21-x", task: "x", base: { ref: "main", commit: "a".repeat(40) }, createdAt: "2026-11-21T00:00:00.000Z" },
  steps: [
    { type: "step", step: 1, call: { tool: "read_file", args: { path: "a" } }, effect: "reads", observation: { ok: true, text: "line\nline \u2028 \"q\"" }, at: "t" },
    { type: "step", step: 2, call: { tool: "write_file", args: { path: "a", n: 3, f: false }, body: "x\ny" }, effect: "writes", observation: { ok: false, text: "" }, commit: "b".repeat(40), at: "t" },
  ],
  end: { type: "end", summary: "done", at: "t" },
};

describe("trace format", () => {
  it("round-trips through JSON Lines, one record per line", () => {
    const text = serializeTrace(trace);
    assert.equal(text.trimEnd().split("\n").length, 4);
    assert.deepEqual(parseTrace(text), trace);
  });

  it("refuses malformed traces with the line number and what is wrong", () => {
    const lines = serializeTrace(trace).trimEnd().split("\n");
    const cases: [string, RegExp][] = [
      ["", /empty/],
      [lines.slice(1).join("\n"), /line 1: the first line must be the header/],
      [[lines[0], "{not json"].join("\n"), /line 2: not JSON/],
      [[lines[0], lines[2]].join("\n"), /line 2: expected step 1, found step 2/],
      [[lines[0], lines[1], lines[3], lines[2]].join("\n"), /line 4: nothing may follow the end record/],
      [[lines[0], lines[1].replace('"reads"', '"deletes"')].join("\n"), /effect must be/],
      [[lines[0], lines[1].replace('"path":"a"', '"path":{"x":1}')].join("\n"), /call must be/],
      [lines[0].replace('"version":1', `"version":${traceVersion + 1}`), new RegExp(`version ${traceVersion + 1} is newer`)],
    ];
    for (const [text, message] of cases) assert.throws(() => parseTrace(text), (e: Error & { code?: string }) => e.code === "invalid-trace" && message.test(e.message), message.source);
  });

  it("writes trailers that parse back, and ignores commits that are not steps", () => {
    const call = trace.steps[1]!.call;
    const message = formatStepMessage({ sessionId: "s", step: 2, call });
    assert.equal(message.split("\n")[0], "write_file path=a n=3 f=false");
    const trailers = message.split("\n\n")[1]!;
    assert.deepEqual(parseStepTrailers(trailers), { sessionId: "s", step: 2, call });
    assert.equal(parseStepTrailers("Signed-off-by: someone"), undefined);
    assert.equal(parseStepTrailers("Session-Id: s\nStep: 1\nTool: t\nArguments: {broken"), undefined);
  });

  it("keeps a large body out of the commit message, naming the trace record that holds it", () => {
    const call = { tool: "create_file", args: { path: "big.txt" }, body: "x".repeat(inlineBodyLimit + 1) };
    const message = formatStepMessage({ sessionId: "s", step: 7, call });
    assert.ok(message.length < 400, `the message is ${message.length} characters`);
    assert.ok(!message.includes("xxxx"));
    const trailers = message.split("\n\n")[1]!;
    assert.deepEqual(parseStepTrailers(trailers), { sessionId: "s", step: 7, call: { tool: "create_file", args: { path: "big.txt" } }, bodyInTrace: "step-000007.json" });
    const small = { ...call, body: "x".repeat(inlineBodyLimit) };
    assert.deepEqual(parseStepTrailers(formatStepMessage({ sessionId: "s", step: 7, call: small }).split("\n\n")[1]!), { sessionId: "s", step: 7, call: small });
  });

  it("reads version 1 traces as they are", () => {
    assert.equal(parseTrace(serializeTrace(trace)).header.version, 1);
  });

  it("slugs carry the issue number and stay git-safe", () => {
    assert.equal(slugify("Fix the parser: empty input!", 42), "issue-42-fix-the-parser-empty-input");
    assert.equal(slugify("../../etc/passwd; rm -rf ~"), "etc-passwd-rm-rf");
    assert.equal(slugify("¿¿??"), "session");
  });
});
