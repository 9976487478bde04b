// Shared by the integration suites: the extension's API, the fixture workspace the launcher opened,
// and polling until something in the editor has happened.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { ResumedSession } from "../../../extension/host/run/resumeSession";

export const extensionId = "infinite-tool-use.infinite-tool-use";

/** Activates the extension (once; later calls return the same API). */
export async function activate(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed`);
  return extension.activate();
}

/** The folder the launcher opened for this group (a fresh copy of its fixture). */
export const workspace = (): string => {
  const folder = process.env.ITU_WORKSPACE;
  assert.ok(folder, "ITU_WORKSPACE is not set by the launcher");
  return folder;
};

/**
 * Calls `check` every `intervalMs` until it gives something other than `false` or `undefined`, and
 * returns that; throws "timed out waiting for <what>" after `timeoutMs`. `what` may be a function,
 * read only on timeout, to say what was seen instead.
 */
export async function until<T>(
  what: string | (() => string),
  check: () => T | Promise<T>,
  timeoutMs: number,
  intervalMs: number,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Opens the task panel and waits until its webview answers. */
export async function showPanel(api: ExtensionApi): Promise<void> {
  await vscode.commands.executeCommand("infiniteToolUse.taskPanel.focus");
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await api.taskPanel.testWebview({ kind: "describe" }, 2_000);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Sets one user setting; `undefined` clears it. */
export async function setting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Clears the user settings a suite set, so the next suite of its launch starts from the defaults. */
export async function clearSettings(keys: readonly (readonly [section: string, key: string])[]): Promise<void> {
  for (const [section, key] of keys) await setting(section, key, undefined);
}

/**
 * The ids of the model sessions the model host creates from now on, newest last, so a test can read
 * a session's logits; the calls themselves run as they are.
 */
export function noteModelSessions(api: ExtensionApi): string[] {
  const created: string[] = [];
  const client = api.model.client;
  const createSession = client.createSession.bind(client);
  client.createSession = async (...args) => {
    const session = await createSession(...args);
    created.push(session.sessionId);
    return session;
  };
  return created;
}

/** Lets a session resumed paused run on; says how it ended and which steps it started. */
export async function runResumed(resumed: ResumedSession): Promise<{ end: Awaited<ResumedSession["done"]>; started: number[] }> {
  const started: number[] = [];
  const sub = resumed.run.onEvent((e) => e.type === "stepStarted" && started.push(e.step));
  resumed.run.resume();
  const end = await resumed.done;
  sub.dispose();
  return { end, started };
}
