// The user's editor is theirs: edits never show or focus documents, never move the cursor, and
// never lose unsaved text.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import type { HostToolExecutor } from "../../../extension/host/tools";
import { bytes, call, createExecutor, workspace } from "./support";

describe("tools: the user's editor", () => {
  let tools: HostToolExecutor;
  before(async () => {
    tools = await createExecutor();
  });
  after(async () => {
    tools.dispose();
    // The editors this suite opened as "the user", one revert-and-close each.
    for (let i = 0; i < 2; i++) await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("refuses to edit a file the user has open with unsaved changes, keeping their text and cursor", async () => {
    const uri = vscode.Uri.file(join(workspace(), "editor", "open-dirty.txt"));
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), "USER TYPING "));
    editor.selection = new vscode.Selection(2, 1, 2, 3);
    const disk = bytes("editor/open-dirty.txt");
    const o = await call(tools, { tool: "replace_range", args: { path: "editor/open-dirty.txt", start: 3, end: 3, start_text: "last", end_text: "last" }, body: "agent" }, false);
    assert.match(o.text, /editor\/open-dirty\.txt has unsaved changes in the user's editor, so it was not changed/);
    assert.equal(editor.document.getText(), "USER TYPING first\nsecond\nlast\n");
    assert.equal(editor.document.isDirty, true);
    assert.deepEqual([editor.selection.start.line, editor.selection.start.character, editor.selection.end.character], [2, 1, 3]);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.ok(bytes("editor/open-dirty.txt").equals(disk));
    const seen = await call(tools, { tool: "open_range", args: { path: "editor/open-dirty.txt" } }, true);
    assert.match(seen.text, /unsaved changes in the user's editor/);
    assert.ok(seen.text.includes("1│USER TYPING first"));
  });

  it("edits other files without showing or focusing them", async () => {
    const active = vscode.window.activeTextEditor;
    const selection = active?.selection;
    await call(tools, { tool: "insert_lines", args: { path: "editor/background.txt", after: 0 }, body: "# top" }, true);
    assert.equal(vscode.window.activeTextEditor, active);
    assert.deepEqual(vscode.window.activeTextEditor?.selection, selection);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath.endsWith("background.txt")));
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath.endsWith("background.txt"))));
    assert.ok(bytes("editor/background.txt").equals(Buffer.from("# top\nbackground line\n")));
  });

  it("edits a file open in a clean editor below the cursor without moving it, and undo sees the edit", async () => {
    const uri = vscode.Uri.file(join(workspace(), "editor", "clean.ts"));
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(1, 2, 1, 4);
    await call(tools, { tool: "replace_range", args: { path: "editor/clean.ts", start: 5, end: 5, start_text: "export type Id", end_text: "export type Id" }, body: "export type Id = string;" }, true);
    assert.equal(editor.document.isDirty, false);
    assert.ok(editor.document.getText().endsWith("export type Id = string;\n"));
    assert.deepEqual([editor.selection.start.line, editor.selection.start.character, editor.selection.end.character], [1, 2, 4]);
    assert.ok(bytes("editor/clean.ts").toString("utf8").endsWith("export type Id = string;\n"));
    await vscode.commands.executeCommand("undo");
    assert.ok(editor.document.getText().endsWith("export type Id = number;\n"), "undo did not restore the agent's edit");
  });
});
