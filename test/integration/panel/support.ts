// Helpers for the panel suite: reach the extension, wait for the webview's messages, and script the
// events an agent loop would report.
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { StepCard, WebviewMessage } from "../../../webview/protocol";
import { chooseFormat, formatLine } from "../../../extension/core/prompt/select";

export { activate } from "../support/vscode";

export function nextMessage<T extends WebviewMessage["type"]>(api: ExtensionApi, type: T, timeoutMs = 30_000): Promise<Extract<WebviewMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the task panel posted no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = api.taskPanel.onDidReceiveMessage((m) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(m as Extract<WebviewMessage, { type: T }>);
    });
  });
}

/** Show the panel and wait until its (new) page has said `ready` and got its snapshot. */
export async function showPanel(api: ExtensionApi): Promise<void> {
  const ready = nextMessage(api, "ready");
  await vscode.commands.executeCommand("infiniteToolUse.taskPanel.focus");
  await ready;
}

export async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration("workbench").update("colorTheme", theme, vscode.ConfigurationTarget.Global);
  // The workbench repaints (and re-sends theme variables to webviews) asynchronously.
  await new Promise((r) => setTimeout(r, 1500));
}

export function card(step: number, extra: Partial<StepCard> = {}): StepCard {
  return {
    step,
    tool: "open_range",
    keyArgs: `src/math.ts:${step}-${step + 20}`,
    summary: `21 lines of src/math.ts`,
    ok: true,
    durationMs: 1200 + step,
    call: `<tool_call>{"name":"open_range","arguments":{"path":"src/math.ts","start":${step}}}</tool_call>`,
    observation: `${step}: export function add(a: number, b: number) {`,
    ...extra,
  };
}

/** A session as the loop would report it: a read, a failed edit, a good edit, notes and meters. */
export function scriptMidSession(api: ExtensionApi): void {
  const state = api.taskPanel.state;
  state.model({ name: "granite-4.0-h-350m-Q4_K_M.gguf", state: "ready", format: formatLine(chooseFormat({ architecture: "granitehybrid", name: "granite", chatTemplate: "{{ '<tool_call>' }}" })) });
  state.sessionStarted({ id: "session-1", task: "Make add() handle bigint", branch: "infinite/make-add-handle-bigint" });
  state.stepStarted({ step: 1, tool: "open_range", keyArgs: "src/math.ts:1-21" });
  state.stepFinished(card(1));
  state.stepStarted({ step: 2, tool: "edit", keyArgs: "src/math.ts:3-4" });
  state.stepFinished(
    card(2, {
      tool: "edit",
      keyArgs: "src/math.ts:3-4",
      ok: false,
      summary: "rejected: the edit leaves a syntax error at 4:1",
      call: '<tool_call>{"name":"edit","arguments":{"path":"src/math.ts","start":3,"end":4}}</tool_call>\nreturn a + b +',
      observation: "error: src/math.ts:4:1 expression expected; nothing was changed",
    }),
  );
  state.stepFinished(
    card(3, {
      tool: "edit",
      keyArgs: "src/math.ts:3-4",
      summary: "replaced 2 lines",
      diffStat: { files: 1, insertions: 3, deletions: 2 },
      commit: "4f2a9c1e0b7d6a5c4b3a29180f7e6d5c4b3a2918",
      observation: "src/math.ts:3-5 now reads: <script>alert(1)</script>",
    }),
  );
  state.stepStarted({ step: 4, tool: "run_task", keyArgs: "npm test" });
  state.notes("add() must accept bigint too.\nTests live in test/math.test.ts.");
  state.meters({
    tokensPerSecond: 41.7,
    stepMs: 2310,
    tokens: 18234,
    stateBytes: 42 * 1024 * 1024,
    budgets: [
      { label: "Steps", used: 3, limit: 200 },
      { label: "Minutes", used: 2, limit: 60 },
    ],
  });
}
