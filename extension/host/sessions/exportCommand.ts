// Sessions view → Export Session as Training Data: the session's export line (core/training/) saved
// to a JSON Lines file. Text only: token ids need the model file (`infinite-tool-use export --model`).
import { writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { createAdapter, TOOL_CALL_FORMATS, type ToolCallFormat } from "../../core/prompt";
import type { SessionStore } from "../../core/sessions/index";
import { toolDefinitions } from "../../core/tools/definitions";
import { exportSession } from "../../core/training/exportSession";
import { registerCommand } from "../errors";
import { readModelSettings } from "../config";

export const exportSessionCommandId = "infiniteToolUse.sessions.export";

export interface ExportArgs {
  /** Where to write; a save dialog asks otherwise. */
  readonly out?: string;
  readonly format?: ToolCallFormat;
}

export function registerExportCommand(locate: (id?: string) => Promise<{ store: SessionStore; id: string } | undefined>, idOf: (arg: unknown) => string | undefined): vscode.Disposable {
  return registerCommand(exportSessionCommandId, async (arg, options) => {
    const found = await locate(idOf(arg));
    if (!found) return undefined;
    const args = (options ?? {}) as ExportArgs;
    const setting = readModelSettings().toolCallFormat;
    const format = args.format ?? (setting !== "auto" ? setting : await pickFormat());
    if (!format) return undefined;
    const out = args.out ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${found.store.repo.topLevel}/${found.id}.jsonl`), filters: { "JSON Lines": ["jsonl"] } }))?.fsPath;
    if (!out) return undefined;
    const record = exportSession(await found.store.readTrace(found.id), { adapter: createAdapter(format), tools: toolDefinitions });
    await writeFile(out, `${JSON.stringify(record)}\n`);
    void vscode.window.showInformationMessage(`Exported session ${found.id} (${record.spans.length} spans, ${format} format) to ${out}.`);
    return out;
  });
}

async function pickFormat(): Promise<ToolCallFormat | undefined> {
  const choice = await vscode.window.showQuickPick([...TOOL_CALL_FORMATS], { placeHolder: "Which tool-call format did the session's model use?" });
  return choice as ToolCallFormat | undefined;
}
