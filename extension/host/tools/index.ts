// The VS Code side of the tools: builds a ToolExecutor (core/tools/registry.ts) whose
// implementations act through the editor. One executor per session; dispose it with the session.
import * as path from "node:path";
import * as vscode from "vscode";
import { createSyntaxService, type SyntaxService } from "../../core/syntax/service";
import { createToolExecutor, defaultMaxBodyBytes, type SessionState, type ToolExecutor } from "../../core/tools/registry";
import { sessionTools } from "../../core/tools/sessionTools";
import { toolDefinitions } from "../../core/tools/definitions";
import { toolsWithPacks, type PackName } from "../../core/tools/packs";
import { cadTools } from "./cad/cadTools";
import { createDiagnosticsTracker } from "./diagnosticsTool";
import { editTools, type EditEnvironment } from "./editTools";
import { fileTools } from "./fileTools";
import { proseTools } from "./prose/proseTools";
import { readTools } from "./readTools";
import { taskTool } from "./taskTool";
import { cadTimeoutSecondsMs, maxBodyBytes, syntaxGuardDisabledLanguages, taskTimeoutMs } from "../config";

export interface HostToolOptions {
  /** The workspace folder the tools may touch; the first workspace folder by default. */
  readonly root?: string;
  readonly session?: SessionState;
  /** run_task's timeout; the `infiniteToolUse.tools.taskTimeoutSeconds` setting by default. */
  readonly taskTimeoutMs?: number;
  /** Tool packs offered beside the code tools (see core/tools/packs.ts); none by default. */
  readonly packs?: readonly PackName[];
  /** OpenSCAD's timeout; the `infiniteToolUse.tools.cadTimeoutSeconds` setting by default. */
  readonly cadTimeoutMs?: number;
}

export interface HostToolExecutor extends ToolExecutor, vscode.Disposable {
  readonly root: string;
}

const syntaxServices = new Map<string, SyntaxService>();

/** tree-sitter loads from the extension's own folder: the VSIX ships grammars/ and dist/. */
export function syntaxServiceFor(extensionPath: string): SyntaxService {
  let service = syntaxServices.get(extensionPath);
  if (!service) {
    service = createSyntaxService({ grammarsDir: path.join(extensionPath, "grammars"), runtimeWasm: path.join(extensionPath, "dist", "web-tree-sitter.wasm") });
    syntaxServices.set(extensionPath, service);
  }
  return service;
}

export function createHostToolExecutor(extensionPath: string, options: HostToolOptions = {}): HostToolExecutor {
  const root = options.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) throw new Error("the tools need a workspace folder: open a folder first");
  const diagnostics = createDiagnosticsTracker();
  const syntax = syntaxServiceFor(extensionPath);
  const env: EditEnvironment = {
    root,
    syntax,
    guardEnabled: (languageId) => !syntaxGuardDisabledLanguages().includes(languageId),
    onEdited: (uri) => diagnostics.noteEdit(uri),
  };
  const timeoutMs = () => options.taskTimeoutMs ?? taskTimeoutMs();
  const cadTimeoutMs = () => options.cadTimeoutMs ?? cadTimeoutSecondsMs();
  const packs = options.packs ?? [];
  const executor = createToolExecutor({
    implementations: [
      ...readTools({ root, syntax }),
      ...editTools(env),
      ...fileTools(env),
      taskTool({ root, timeoutMs }),
      diagnostics.tool(root),
      ...sessionTools(),
      ...(packs.includes("prose") ? proseTools(env) : []),
      ...(packs.includes("cad") ? cadTools({ root, timeoutMs: cadTimeoutMs }) : []),
    ],
    session: options.session ?? { goal: "", notes: "" },
    isTrusted: () => vscode.workspace.isTrusted,
    maxBodyBytes: maxBodyBytes() ?? defaultMaxBodyBytes,
    definitions: toolsWithPacks(toolDefinitions, packs),
  });
  return { ...executor, root, dispose: () => diagnostics.dispose() };
}
