// create_file, delete_file, rename_file: WorkspaceEdit file operations, so editors and language
// servers follow them (an open editor of a renamed file moves with it).
import { stat } from "node:fs/promises";
import * as vscode from "vscode";
import { requireTool as definition } from "../../core/tools/definitions";
import type { ToolImplementation } from "../../core/tools/registry";
import { failure } from "../../core/tools/registry";
import { unsavedChangesMessage, type EditEnvironment } from "./editTools";
import { exists, openDocument, resolvePath } from "./workspaceFiles";

export function fileTools(env: EditEnvironment): ToolImplementation[] {
  return [
    {
      definition: definition("create_file"),
      async run(call) {
        const file = await resolvePath(env.root, String(call.args.path));
        if (!file.ok) return failure(file.error);
        if (file.relative === ".") return failure("create_file needs a file path, not the workspace root");
        if (await exists(file.absolute)) return failure(`${file.relative} already exists; edit it with replace_range or insert_lines, or pick another name. Nothing was changed.`);
        const body = call.body ?? "";
        // Files conventionally end with a line break; final_newline=false keeps a file that does not
        // (from-git reproduces such files exactly).
        const content = body === "" || /\n$/.test(body) ? body : call.args.final_newline === false ? body : `${body}\n`;
        const guard = await env.syntax.guard(file.relative, "", content, env.guardEnabled);
        if (!guard.ok) return failure(`${file.relative} was not created: its content has a ${guard.language} syntax error:\n${guard.report}`);
        const edit = new vscode.WorkspaceEdit();
        edit.createFile(file.uri, { contents: new TextEncoder().encode(content), overwrite: false, ignoreIfExists: false });
        if (!(await vscode.workspace.applyEdit(edit))) return failure(`VS Code could not create ${file.relative}. Nothing was changed.`);
        env.onEdited(file.uri);
        const lines = content === "" ? 0 : content.split("\n").length - 1;
        return { ok: true, text: `created ${file.relative} (${lines} lines)`, changedFiles: [file.relative], summary: `created ${file.relative}` };
      },
    },
    {
      definition: definition("delete_file"),
      async run(call) {
        const file = await resolvePath(env.root, String(call.args.path));
        if (!file.ok) return failure(file.error);
        const info = await stat(file.absolute).catch(() => undefined);
        if (!info) return failure(`${file.relative} does not exist. Nothing was changed.`);
        if (!info.isFile()) return failure(`${file.relative} is not a file; delete_file only deletes files. Nothing was changed.`);
        if (openDocument(file.uri)?.isDirty) return failure(unsavedChangesMessage(file.relative));
        const edit = new vscode.WorkspaceEdit();
        edit.deleteFile(file.uri, { recursive: false, ignoreIfNotExists: false });
        if (!(await vscode.workspace.applyEdit(edit))) return failure(`VS Code could not delete ${file.relative}. Nothing was changed.`);
        env.onEdited(file.uri);
        return { ok: true, text: `deleted ${file.relative}`, changedFiles: [file.relative], summary: `deleted ${file.relative}` };
      },
    },
    {
      definition: definition("rename_file"),
      async run(call) {
        const from = await resolvePath(env.root, String(call.args.path));
        if (!from.ok) return failure(from.error);
        const to = await resolvePath(env.root, String(call.args.to));
        if (!to.ok) return failure(`to: ${to.error}`);
        const info = await stat(from.absolute).catch(() => undefined);
        if (!info?.isFile()) return failure(`${from.relative} is not an existing file. Nothing was changed.`);
        if (await exists(to.absolute)) return failure(`${to.relative} already exists; pick a new name. Nothing was changed.`);
        if (openDocument(from.uri)?.isDirty) return failure(unsavedChangesMessage(from.relative));
        const edit = new vscode.WorkspaceEdit();
        edit.renameFile(from.uri, to.uri, { overwrite: false });
        if (!(await vscode.workspace.applyEdit(edit))) return failure(`VS Code could not rename ${from.relative}. Nothing was changed.`);
        env.onEdited(to.uri);
        return { ok: true, text: `renamed ${from.relative} to ${to.relative}`, changedFiles: [from.relative, to.relative], summary: `renamed ${from.relative} → ${to.relative}` };
      },
    },
  ];
}
