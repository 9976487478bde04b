// Every setting the extension reads, as one typed getter each (package.json contributes and
// describes them). Nothing else reads getConfiguration("infiniteToolUse..."); the model picker
// writes the path it picked itself.
import * as vscode from "vscode";
import type { GpuChoice } from "../../native/protocol";
import { budgetsFromSettings, type Budgets } from "../core/agent";
import { TOOL_CALL_FORMATS, type ToolCallFormatSetting } from "../core/prompt";
import { SessionStore } from "../core/sessions";
import { log } from "./log";

const section = "infiniteToolUse";

function settings(scope?: vscode.Uri) {
  return vscode.workspace.getConfiguration(section, scope);
}

export interface ModelSettings {
  /** infiniteToolUse.model.path: a local GGUF file; always used when set. */
  path: string;
  /** 0 lets the host choose for the machine. */
  threads: number;
  gpu: GpuChoice;
  /** infiniteToolUse.model.downloadEndpoint: base URL for hf: downloads; undefined is huggingface.co. */
  downloadEndpoint?: string;
  /** infiniteToolUse.model.toolCallFormat: "auto" for an unknown value. */
  toolCallFormat: ToolCallFormatSetting;
  /** infiniteToolUse.model.contextSize: 0 or less lets the host choose. */
  contextSize: number;
}

export function readModelSettings(): ModelSettings {
  const config = settings();
  return {
    path: config.get<string>("model.path", "").trim(),
    threads: Math.max(0, Math.floor(config.get<number>("model.threads", 0))),
    // The GPU is used when node-llama-cpp's prebuilt binaries find one; CPU otherwise.
    gpu: "auto",
    downloadEndpoint: config.get<string>("model.downloadEndpoint", "").trim() || undefined,
    toolCallFormat: toolCallFormat(config.get<string>("model.toolCallFormat", "auto")),
    contextSize: config.get<number>("model.contextSize", 0),
  };
}

function toolCallFormat(value: string): ToolCallFormatSetting {
  return value === "auto" || (TOOL_CALL_FORMATS as readonly string[]).includes(value) ? (value as ToolCallFormatSetting) : "auto";
}

/** infiniteToolUse.engine.url: a llama-server's base URL that sessions run on; "" runs the model in-process. */
export function readEngineUrl(): string {
  return settings().get<string>("engine.url", "").trim();
}

/** infiniteToolUse.sampling.*: how the model's turns are sampled. */
export function readSampling(): { temperature: number; seed: number } {
  const config = settings();
  return { temperature: config.get<number>("sampling.temperature", 0.2), seed: config.get<number>("sampling.seed", 0) };
}

/** infiniteToolUse.budget.*: the session budgets as the user set them. */
export function readBudgets(): Budgets {
  const config = settings();
  return budgetsFromSettings({
    maxSteps: config.get("budget.maxSteps"),
    maxTokens: config.get("budget.maxTokens"),
    maxMinutes: config.get("budget.maxMinutes"),
    repeatLimit: config.get("budget.repeatLimit"),
  });
}

/** infiniteToolUse.syntaxGuard.disabledLanguages: languages whose edits are not syntax-checked. */
export function syntaxGuardDisabledLanguages(): readonly string[] {
  return settings().get<string[]>("syntaxGuard.disabledLanguages") ?? [];
}

/** infiniteToolUse.tools.taskTimeoutSeconds, in milliseconds. */
export function taskTimeoutMs(): number {
  return (settings().get<number>("tools.taskTimeoutSeconds") ?? 600) * 1000;
}

/** infiniteToolUse.tools.cadTimeoutSeconds, in milliseconds: OpenSCAD is stopped after it. */
export function cadTimeoutSecondsMs(): number {
  return (settings().get<number>("tools.cadTimeoutSeconds") ?? 60) * 1000;
}

/** infiniteToolUse.tools.maxBodyBytes: the largest code body a tool call may carry. */
export function maxBodyBytes(): number | undefined {
  return settings().get<number>("tools.maxBodyBytes");
}

/** infiniteToolUse.github.apiUrl for `folder` (GitHub Enterprise); undefined: from the remote. */
export function githubApiUrl(folder: vscode.WorkspaceFolder): string | undefined {
  return settings(folder.uri).get<string>("github.apiUrl");
}

/** The one way to open a session store: on `folder`'s repository, with that folder's settings
 * (infiniteToolUse.git.branchPrefix, infiniteToolUse.snapshots.budgetMB). */
export function openSessionStore(folder: vscode.WorkspaceFolder): Promise<SessionStore> {
  const config = settings(folder.uri);
  return SessionStore.open(folder.uri.fsPath, {
    log: (line) => log().debug(line),
    branchPrefix: config.get<string>("git.branchPrefix", "infinite/"),
    snapshotBudgetMB: config.get<number>("snapshots.budgetMB", 2048),
  });
}
