// tree-sitter inside the extension host: outlines of a multi-language folder and the syntax guard.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { HostToolExecutor } from "../../../extension/host/tools";
import { bytes, call, createExecutor } from "./support";

describe("tools: outline and syntax guard", () => {
  let tools: HostToolExecutor;
  before(async () => {
    tools = await createExecutor();
  });
  after(() => tools.dispose());

  it("outlines a multi-language folder with the right line ranges", async () => {
    const o = await call(tools, { tool: "outline", args: { path: "multi" } }, true);
    assert.equal(
      o.text,
      [
        "multi/main.go (10 lines)",
        "  type Server (3-3)",
        "  method Start (5-6)",
        "  function main (8-10)",
        "multi/point.rs (9 lines)",
        "  class Point (1-3)",
        "  impl Point (5-9)",
        "    function new (6-8)",
        "multi/shapes.py (13 lines)",
        "  class Circle (4-9)",
        "    function __init__ (5-6)",
        "    function area (8-9)",
        "  function unit (12-13)",
        "multi/store.ts (13 lines)",
        "  interface Item (1-3)",
        "  class Store (5-11)",
        "    method add (8-10)",
        "  type Id (13-13)",
      ].join("\n"),
    );
  });

  it("open_range shows the symbols around its window", async () => {
    const o = await call(tools, { tool: "open_range", args: { path: "multi/shapes.py", start: 8, end: 9 } }, true);
    assert.match(o.text, /Symbols in and around this window:\nclass Circle \(4-9\)\n {2}function area \(8-9\)$/);
  });

  it("rolls back a broken Python edit, leaving the bytes unchanged, and shows the problem in its function", async () => {
    const before = bytes("py/calc.py");
    const o = await call(tools, { tool: "replace_range", args: { path: "py/calc.py", start: 3, end: 3, start_text: "return a + b", end_text: "return a + b" }, body: "        return (a + b" }, false);
    assert.match(o.text, /rolled back: it would break the python syntax of py\/calc\.py, which is unchanged/);
    assert.match(o.text, /in function add \(lines 2-/);
    assert.ok(o.text.includes("│        return (a + b"));
    assert.ok(bytes("py/calc.py").equals(before));
  });

  it("accepts a good Python edit", async () => {
    await call(tools, { tool: "replace_range", args: { path: "py/calc.py", start: 3, end: 3, start_text: "return a + b", end_text: "return a + b" }, body: "        return b + a" }, true);
    assert.ok(bytes("py/calc.py").toString("utf8").includes("    def add(self, a, b):\n        return b + a\n\n    def sub"));
  });

  it("replaces a whole symbol found by name", async () => {
    await call(tools, { tool: "replace_symbol", args: { path: "py/calc.py", symbol: "Calculator.sub" }, body: "    def sub(self, a, b):\n        return a - b - 0\n" }, true);
    assert.ok(bytes("py/calc.py").toString("utf8").includes("    def sub(self, a, b):\n        return a - b - 0\n\n\ndef main():"));
    const missing = await call(tools, { tool: "replace_symbol", args: { path: "py/calc.py", symbol: "Calculator.mul" }, body: "x" }, false);
    assert.match(missing.text, /no symbol "Calculator\.mul".*Calculator\.add/);
  });

  it("lets the user switch the guard off for one language", async () => {
    const settings = vscode.workspace.getConfiguration("infiniteToolUse");
    await settings.update("syntaxGuard.disabledLanguages", ["python"], vscode.ConfigurationTarget.Workspace);
    try {
      await call(tools, { tool: "replace_range", args: { path: "py/off.py", start: 2, end: 2, start_text: "return 1", end_text: "return 1" }, body: "    return (1" }, true);
      assert.ok(bytes("py/off.py").equals(Buffer.from("def off():\n    return (1\n")));
    } finally {
      await settings.update("syntaxGuard.disabledLanguages", undefined, vscode.ConfigurationTarget.Workspace);
    }
    const o = await call(tools, { tool: "replace_range", args: { path: "py/off.py", start: 1, end: 1, start_text: "def off", end_text: "def off" }, body: "def off(:" }, false);
    assert.match(o.text, /rolled back/);
  });
});
