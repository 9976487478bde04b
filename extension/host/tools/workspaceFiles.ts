// Reading workspace files for the tools: paths are checked (core/tools/paths.ts), binary and
// oversized files refused, and a file the editor has open is read from its document, so the model
// sees what the user sees (unsaved text included).
import { readFile, stat } from "node:fs/promises";
import * as vscode from "vscode";
import { resolveInside } from "../../core/tools/paths";
import { looksBinary } from "../../core/tools/text";

/** Files larger than this are refused whole; open_range still windows them. */
export const maxTextFileBytes = 20 * 1024 * 1024;

export type Resolved = { ok: true; relative: string; absolute: string; uri: vscode.Uri } | { ok: false; error: string };

export async function resolvePath(root: string, input: string): Promise<Resolved> {
  const checked = await resolveInside(root, input);
  if (!checked.ok) return checked;
  return { ...checked, uri: vscode.Uri.file(checked.absolute) };
}

export type TextFile = { ok: true; text: string; document: vscode.TextDocument | undefined } | { ok: false; error: string };

export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

export async function readTextFile(file: { relative: string; absolute: string; uri: vscode.Uri }): Promise<TextFile> {
  const open = openDocument(file.uri);
  if (open) return { ok: true, text: open.getText(), document: open };
  let info;
  try {
    info = await stat(file.absolute);
  } catch {
    return { ok: false, error: `${file.relative} does not exist` };
  }
  if (info.isDirectory()) return { ok: false, error: `${file.relative} is a folder, not a file` };
  if (info.size > maxTextFileBytes) return { ok: false, error: `${file.relative} is ${(info.size / 1048576).toFixed(1)} MB; files over ${maxTextFileBytes / 1048576} MB are not read` };
  const bytes = await readFile(file.absolute);
  if (looksBinary(bytes)) return { ok: false, error: `${file.relative} is a binary file; only text files can be read or edited` };
  const text = new TextDecoder("utf-8").decode(bytes);
  return { ok: true, text, document: undefined };
}

export async function exists(absolute: string): Promise<boolean> {
  try {
    await stat(absolute);
    return true;
  } catch {
    return false;
  }
}
