import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bodyLines, guardMatches, looksBinary, minimalChange, numberLines, replaceLines, splitText } from "../../../extension/core/tools/text";

describe("line edits keep the file's conventions", () => {
  it("keeps CRLF line endings", () => {
    const r = replaceLines("a\r\nb\r\nc\r\n", 2, 2, ["B1", "B2"]);
    assert.deepEqual(r, { ok: true, text: "a\r\nB1\r\nB2\r\nc\r\n", firstLine: 2, lineCount: 2 });
  });
  it("keeps a missing final newline missing", () => {
    const r = replaceLines("a\nb", 2, 2, ["x"]);
    assert.ok(r.ok && r.text === "a\nx");
  });
  it("keeps tabs and non-ASCII text byte for byte", () => {
    const r = replaceLines("\tä = 1\n€ 😀\n", 2, 2, ["\tö = 2"]);
    assert.ok(r.ok && r.text === "\tä = 1\n\tö = 2\n");
  });
  it("inserts into an empty file with a final newline", () => {
    assert.deepEqual(replaceLines("", 1, 0, ["x"]), { ok: true, text: "x\n", firstLine: 1, lineCount: 1 });
  });
  it("deletes lines with an empty replacement", () => {
    const r = replaceLines("a\nb\nc\n", 2, 3, []);
    assert.ok(r.ok && r.text === "a\n");
  });
  it("says how long the file is when a line is past the end", () => {
    const r = replaceLines("a\nb\n", 900, 900, ["x"]);
    assert.deepEqual(r, { ok: false, error: "line 900 is past the end: the file has 2 lines" });
  });
  it("splits and counts lines as the editor does", () => {
    assert.deepEqual(splitText("a\r\nb"), { lines: ["a", "b"], eol: "\r\n", finalNewline: false });
    assert.deepEqual(splitText(""), { lines: [], eol: "\n", finalNewline: false });
    assert.deepEqual(bodyLines("x\ny\n"), ["x", "y"]);
    assert.deepEqual(bodyLines("x\r\n\r\n"), ["x", ""]);
  });
  it("matches guards on the start of a line, ignoring outer spaces", () => {
    assert.equal(guardMatches("    return x + 1", "return x"), true);
    assert.equal(guardMatches("    return x + 1", "return y"), false);
    assert.equal(guardMatches("   ", ""), true);
    assert.equal(guardMatches("x", ""), false);
  });
  it("numbers lines and cuts long ones", () => {
    assert.equal(numberLines(["a", "b"], { start: 1, end: 2 }), "1│a\n2│b");
    assert.match(numberLines(["x".repeat(10)], { start: 1, end: 1, maxLineLength: 4 }), /^1│xxxx… \(6 more characters\)$/);
  });
  it("finds the smallest change without splitting CRLF or surrogate pairs", () => {
    assert.deepEqual(minimalChange("a\r\nb\r\n", "a\r\nc\r\n"), { start: 3, end: 4, text: "c" });
    const before = "x😀y";
    const change = minimalChange(before, "x😁y");
    assert.equal(before.slice(0, change.start) + change.text + before.slice(change.end), "x😁y");
    assert.equal(change.start, 1);
    const crlf = minimalChange("a\r\n", "a\n");
    assert.equal("a\r\n".slice(0, crlf.start) + crlf.text + "a\r\n".slice(crlf.end), "a\n");
  });
  it("detects binary content by a NUL byte", () => {
    assert.equal(looksBinary(new Uint8Array([0x89, 0x50, 0, 1])), true);
    assert.equal(looksBinary(new TextEncoder().encode("plain ä")), false);
  });
});
