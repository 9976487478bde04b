// The tools that change text: replace_range, replace_symbol, insert_lines. Each computes the new
// text from the current one (core/tools/text.ts) and hands it to editFile (below), which guards and applies.
//
// How every text edit reaches the workspace: through VS Code (WorkspaceEdit, then save), so open
// editors, undo, language servers and formatters see it. Nothing is shown or focused.
//
// Policy for a file the user has open with unsaved changes: the edit is refused and nothing is
// touched. Applying on top of the user's unsaved text would either save their half-finished work
// or leave the agent's change unsaved (and so out of the session's commit); asking them to save
// or to let the agent work elsewhere is the only choice that loses nothing.
import * as vscode from "vscode";
import { findSymbol, qualifiedName } from "../../core/syntax/outline";
import type { SyntaxService } from "../../core/syntax/service";
import { requireTool as definition } from "../../core/tools/definitions";
import { failure, type ToolImplementation } from "../../core/tools/registry";
import { bodyLines, guardMatches, minimalChange, numberLines, replaceLines, splitText } from "../../core/tools/text";
import type { Observation } from "../../core/tools/types";
import { readTextFile, resolvePath } from "./workspaceFiles";

export function editTools(env: EditEnvironment): ToolImplementation[] {
  return [
    {
      definition: definition("replace_range"),
      run(call) {
        const start = Number(call.args.start);
        const end = Number(call.args.end);
        return editFile(env, String(call.args.path), (text) => {
          if (end < start) return { ok: false, error: `end (${end}) is before start (${start}); to insert lines use insert_lines` };
          const lines = splitText(text).lines;
          if (start > lines.length) return { ok: false, error: `line ${start} is past the end: the file has ${lines.length} lines` };
          if (end > lines.length) return { ok: false, error: `line ${end} is past the end: the file has ${lines.length} lines` };
          const stale = staleGuard(lines, start, String(call.args.start_text), "start") ?? staleGuard(lines, end, String(call.args.end_text), "end");
          if (stale) return { ok: false, error: stale };
          const replacement = bodyLines(call.body);
          return described(replaceLines(text, start, end, replacement), `replaced lines ${start}-${end} with ${replacement.length} line${replacement.length === 1 ? "" : "s"}`);
        });
      },
    },
    {
      definition: definition("insert_lines"),
      run(call) {
        const after = Number(call.args.after);
        return editFile(env, String(call.args.path), (text) => {
          const count = splitText(text).lines.length;
          if (after > count) return { ok: false, error: `line ${after} is past the end: the file has ${count} lines (use after=${count} to append)` };
          const lines = bodyLines(call.body);
          return described(replaceLines(text, after + 1, after, lines), `inserted ${lines.length} line${lines.length === 1 ? "" : "s"} after line ${after}`);
        });
      },
    },
    {
      definition: definition("replace_symbol"),
      run(call) {
        const wanted = String(call.args.symbol);
        const path = String(call.args.path);
        return editFile(env, path, async (text) => {
          const analysis = await env.syntax.analyze(path, text);
          if (!analysis) return { ok: false, error: `replace_symbol needs a language with a grammar; ${path} has none. Use replace_range` };
          const matches = findSymbol(analysis.symbols, wanted);
          if (matches.length === 0) {
            const known = analysis.symbols.slice(0, 30).map(qualifiedName).join(", ");
            return { ok: false, error: `there is no symbol "${wanted}" in ${path}; its symbols are: ${known || "(none)"}` };
          }
          if (matches.length > 1) {
            const where = matches.map((m) => `${qualifiedName(m)} (lines ${m.startLine}-${m.endLine})`).join(", ");
            return { ok: false, error: `"${wanted}" names ${matches.length} symbols: ${where}; name one with its class (Class.method) or use replace_range` };
          }
          const symbol = matches[0]!;
          return described(replaceLines(text, symbol.startLine, symbol.endLine, bodyLines(call.body)), `replaced ${symbol.kind} ${qualifiedName(symbol)} (was lines ${symbol.startLine}-${symbol.endLine})`);
        });
      },
    },
  ];
}

function staleGuard(lines: readonly string[], line: number, guard: string, which: "start" | "end"): string | undefined {
  const current = lines[line - 1] ?? "";
  if (guardMatches(current, guard)) return undefined;
  const found = lines.findIndex((l) => guard.trim() !== "" && guardMatches(l, guard));
  const hint = found >= 0 ? ` (that text is on line ${found + 1}; the line numbers may be stale)` : "";
  return `${which}_text does not match line ${line}: it reads ${JSON.stringify(current.trim().slice(0, 80))}, not ${JSON.stringify(guard.trim())}${hint}; open_range the lines again`;
}

function described(result: ReturnType<typeof replaceLines>, what: string): ComputedEdit {
  return result.ok ? { ...result, what } : result;
}

export interface EditEnvironment {
  readonly root: string;
  readonly syntax: SyntaxService;
  readonly guardEnabled: (languageId: string) => boolean;
  /** Called after a file changed, so diagnostics know to wait for the language servers. */
  readonly onEdited: (uri: vscode.Uri) => void;
}

export type ComputedEdit = { ok: true; text: string; firstLine: number; lineCount: number; what: string } | { ok: false; error: string };

export function unsavedChangesMessage(relative: string): string {
  return `${relative} has unsaved changes in the user's editor, so it was not changed (the user's text is kept as it is). Ask the user to save or discard their changes, or edit another file.`;
}

export async function editFile(env: EditEnvironment, input: string, compute: (text: string) => Promise<ComputedEdit> | ComputedEdit): Promise<Observation> {
  const file = await resolvePath(env.root, input);
  if (!file.ok) return failure(file.error);
  const readable = await readTextFile(file);
  if (!readable.ok) return failure(readable.error);
  const document = readable.document ?? (await vscode.workspace.openTextDocument(file.uri));
  if (document.isDirty) return failure(unsavedChangesMessage(file.relative));
  const before = document.getText();
  const edit = await compute(before);
  if (!edit.ok) return failure(`${edit.error}. Nothing was changed.`);
  if (edit.text === before) return { ok: true, text: `${file.relative} already had that text; nothing changed.`, summary: `no change to ${file.relative}` };
  const guard = await env.syntax.guard(file.relative, before, edit.text, env.guardEnabled);
  if (!guard.ok) {
    return failure(`The edit was rolled back: it would break the ${guard.language} syntax of ${file.relative}, which is unchanged. The problem, as the file would have been:\n${guard.report}`);
  }
  const applied = await applyText(document, before, edit.text);
  if (!applied.ok) return failure(`${applied.error}. ${file.relative} is unchanged.`);
  env.onEdited(file.uri);
  return { ok: true, text: `${edit.what} in ${file.relative}.\n${editedWindow(edit.text, edit.firstLine, edit.lineCount)}`, changedFiles: [file.relative], summary: `${edit.what} in ${file.relative}` };
}

async function applyText(document: vscode.TextDocument, before: string, after: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const change = minimalChange(before, after);
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) return { ok: false, error: "VS Code refused the edit" };
  if (await saveWithRetry(document)) return { ok: true };
  // Saving failed (read-only file, disk full): undo our change in the buffer so nothing is half-done.
  const undo = new vscode.WorkspaceEdit();
  undo.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), before);
  await vscode.workspace.applyEdit(undo);
  await document.save();
  return { ok: false, error: "VS Code could not save the file" };
}

/**
 * Save participants (formatters, a language server that is still starting) can time out and make
 * one save fail; the buffer is still ours, so try again before giving up.
 */
async function saveWithRetry(document: vscode.TextDocument, attempts = 3): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await document.save()) return true;
    if (!document.isDirty) return true;
  }
  return false;
}

/** The edited lines with two lines of context, so the model sees the result without re-opening. */
export function editedWindow(text: string, firstLine: number, lineCount: number): string {
  const lines = splitText(text).lines;
  if (lines.length === 0) return "(the file is now empty)";
  const start = Math.max(1, firstLine - 2);
  const end = Math.min(lines.length, firstLine + Math.max(lineCount, 1) + 1);
  return `The file has ${lines.length} lines. Lines ${start}-${end} now read:\n${numberLines(lines, { start, end })}`;
}
