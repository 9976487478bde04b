// The reading and editing tools on awkward files, inside a real VS Code; bytes on disk compared exactly.
import * as assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HostToolExecutor } from "../../../extension/host/tools";
import { bytes, call, createExecutor, present, text, workspace } from "./support";

const bigLines = 50_000;
const bigLine = (n: number) => `line ${n} of the big file\twith a tab`;

describe("tools: files", () => {
  let tools: HostToolExecutor;
  before(async () => {
    const root = workspace();
    writeFileSync(join(root, "big.txt"), Array.from({ length: bigLines }, (_, i) => bigLine(i + 1)).join("\n") + "\n");
    const outside = join(process.env.ITU_RUN_DIR ?? root, "outside-secret.txt");
    writeFileSync(outside, "secret\n");
    symlinkSync(outside, join(root, "escape.txt"));
    mkdirSync(join(root, "ignored"), { recursive: true });
    writeFileSync(join(root, "ignored", "hidden.txt"), "NEEDLE_TOKEN in an ignored file\n");
    tools = await createExecutor();
  });
  after(() => tools.dispose());

  it("refuses every path that leaves the workspace, and changes nothing", async () => {
    for (const path of ["../outside.txt", "/etc/passwd", "~/.bashrc", "C:\\Windows\\win.ini", "a\u0000b", "escape.txt", "py/../../x"]) {
      const o = await call(tools, { tool: "open_range", args: { path } }, false);
      assert.match(o.text, /workspace|NUL/, o.text);
    }
    await call(tools, { tool: "create_file", args: { path: "../evil.txt" }, body: "x" }, false);
    await call(tools, { tool: "replace_range", args: { path: "escape.txt", start: 1, end: 1, start_text: "secret", end_text: "secret" }, body: "pwned" }, false);
    assert.equal(text("escape.txt"), "secret\n");
    assert.equal(present("../evil.txt"), false);
  });

  it("open_range windows a 50,000-line file and says how long it is", async () => {
    const first = await call(tools, { tool: "open_range", args: { path: "big.txt" } }, true);
    assert.match(first.text, /^big\.txt: 50000 lines\. Lines 1-100:/);
    assert.ok(first.text.includes(`100│${bigLine(100)}`));
    assert.ok(!first.text.includes(bigLine(101)));
    assert.match(first.text, /49900 more lines below; open_range start=101/);
    assert.ok(first.text.length < 10_000, `observation is ${first.text.length} characters`);
    const last = await call(tools, { tool: "open_range", args: { path: "big.txt", start: 49_995 } }, true);
    assert.ok(last.text.trimEnd().endsWith(`50000│${bigLine(50_000)}`));
    const past = await call(tools, { tool: "open_range", args: { path: "big.txt", start: 50_001 } }, false);
    assert.equal(past.text, "line 50001 is past the end: big.txt has 50000 lines");
  });

  it("edits the middle of the 50,000-line file exactly", async () => {
    const before = bytes("big.txt");
    await call(tools, { tool: "replace_range", args: { path: "big.txt", start: 25_000, end: 25_000, start_text: "line 25000 ", end_text: "line 25000 " }, body: "changed" }, true);
    const expected = before.toString("utf8").replace(`${bigLine(25_000)}\n`, "changed\n");
    assert.ok(bytes("big.txt").equals(Buffer.from(expected, "utf8")));
  });

  it("keeps CRLF line endings", async () => {
    const o = await call(tools, { tool: "open_range", args: { path: "crlf.txt" } }, true);
    assert.match(o.text, /3 lines, CRLF line endings/);
    await call(tools, { tool: "replace_range", args: { path: "crlf.txt", start: 2, end: 2, start_text: "two", end_text: "two" }, body: "TWO\nTWO and a half\n" }, true);
    assert.ok(bytes("crlf.txt").equals(Buffer.from("one\r\nTWO\r\nTWO and a half\r\nthree\r\n")));
  });

  it("keeps tabs and non-ASCII text byte for byte", async () => {
    await call(tools, { tool: "replace_range", args: { path: "unicode.txt", start: 2, end: 2, start_text: "日本", end_text: "日本語" }, body: "中文 ✓\tß" }, true);
    assert.ok(bytes("unicode.txt").equals(Buffer.from("Grüße 😀\n中文 ✓\tß\n\tcafé\n", "utf8")));
    await call(tools, { tool: "insert_lines", args: { path: "tabs.txt", after: 1 }, body: "\t\tinserted\t!" }, true);
    assert.ok(bytes("tabs.txt").equals(Buffer.from("\tindented\n\t\tinserted\t!\n\t\tdeeper\tand tab\n")));
  });

  it("keeps a missing final newline missing, and fills an empty file", async () => {
    await call(tools, { tool: "insert_lines", args: { path: "no-newline.txt", after: 1 }, body: "added" }, true);
    assert.ok(bytes("no-newline.txt").equals(Buffer.from("last line without newline\nadded")));
    const empty = await call(tools, { tool: "open_range", args: { path: "empty.txt" } }, true);
    assert.equal(empty.text, "empty.txt: the file is empty.");
    await call(tools, { tool: "insert_lines", args: { path: "empty.txt", after: 0 }, body: "first" }, true);
    assert.ok(bytes("empty.txt").equals(Buffer.from("first\n")));
  });

  it("refuses stale line numbers and lines past the end, changing nothing", async () => {
    const before = bytes("py/calc.py");
    const stale = await call(tools, { tool: "replace_range", args: { path: "py/calc.py", start: 2, end: 3, start_text: "def sub", end_text: "return a - b" }, body: "x" }, false);
    assert.match(stale.text, /start_text does not match line 2: it reads "def add\(self, a, b\):".*that text is on line 5/);
    const past = await call(tools, { tool: "replace_range", args: { path: "py/calc.py", start: 900, end: 900, start_text: "a", end_text: "a" }, body: "x" }, false);
    assert.match(past.text, /line 900 is past the end: the file has 10 lines/);
    await call(tools, { tool: "insert_lines", args: { path: "py/calc.py", after: 11 } , body: "x" }, false);
    assert.ok(bytes("py/calc.py").equals(before));
  });

  it("refuses binary files", async () => {
    const before = bytes("binary.png");
    const o = await call(tools, { tool: "open_range", args: { path: "binary.png" } }, false);
    assert.match(o.text, /binary\.png is a binary file/);
    await call(tools, { tool: "insert_lines", args: { path: "binary.png", after: 0 }, body: "x" }, false);
    assert.ok(bytes("binary.png").equals(before));
  });

  it("creates, renames and deletes files", async () => {
    await call(tools, { tool: "create_file", args: { path: "new/dir/made.txt" }, body: "hello ✓\n" }, true);
    assert.ok(bytes("new/dir/made.txt").equals(Buffer.from("hello ✓\n")));
    const exists = await call(tools, { tool: "create_file", args: { path: "new/dir/made.txt" }, body: "other" }, false);
    assert.match(exists.text, /already exists/);
    await call(tools, { tool: "rename_file", args: { path: "new/dir/made.txt", to: "new/renamed.txt" } }, true);
    assert.equal(present("new/dir/made.txt"), false);
    assert.ok(bytes("new/renamed.txt").equals(Buffer.from("hello ✓\n")));
    await call(tools, { tool: "rename_file", args: { path: "new/renamed.txt", to: "../out.txt" } }, false);
    await call(tools, { tool: "delete_file", args: { path: "new/renamed.txt" } }, true);
    assert.equal(present("new/renamed.txt"), false);
    const missing = await call(tools, { tool: "delete_file", args: { path: "new/renamed.txt" } }, false);
    assert.match(missing.text, /does not exist/);
  });

  it("find respects .gitignore and files.exclude, and caps its list", async () => {
    const o = await call(tools, { tool: "find", args: { query: "NEEDLE_TOKEN" } }, true);
    assert.equal(o.text, "1 match:\nvisible.txt:2:NEEDLE_TOKEN here");
    const many = await call(tools, { tool: "find", args: { query: "MANY_TOKEN \\d+0$", regex: true } }, true);
    assert.match(many.text, /^6 matches:\nmany\.txt:10:many MANY_TOKEN 10\n/);
    const capped = await call(tools, { tool: "find", args: { query: "MANY_TOKEN" } }, true);
    assert.match(capped.text, /^60 matches:/);
    assert.match(capped.text, /\(10 more matches not shown; narrow the query or add a glob\)$/);
    const bad = await call(tools, { tool: "find", args: { query: "(unclosed", regex: true } }, false);
    assert.match(bad.text, /regular expression/);
  });
});
