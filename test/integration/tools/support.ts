// Shared by the tools group's suites: the extension's executor, and byte-exact file access in the
// fixture workspace (a fresh copy of test/fixtures/tools/ per run).
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ToolCall, Observation } from "../../../extension/core/tools/types";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { HostToolExecutor, HostToolOptions } from "../../../extension/host/tools";
import { workspace } from "../support/vscode";

export { workspace };

export async function createExecutor(options?: HostToolOptions): Promise<HostToolExecutor> {
  const extension = vscode.extensions.getExtension<ExtensionApi>("infinite-tool-use.infinite-tool-use");
  assert.ok(extension, "the extension is not installed");
  const api = await extension.activate();
  return api.tools.createExecutor(options);
}

export function bytes(relative: string): Buffer {
  return readFileSync(join(workspace(), relative));
}

export function text(relative: string): string {
  return bytes(relative).toString("utf8");
}

export function present(relative: string): boolean {
  return existsSync(join(workspace(), relative));
}

/** Runs a call and checks whether it succeeded, printing the observation when it is not as expected. */
export async function call(executor: HostToolExecutor, toolCall: ToolCall, expectOk: boolean): Promise<Observation> {
  const observation = await executor.execute(toolCall);
  assert.equal(observation.ok, expectOk, `${toolCall.tool} ${JSON.stringify(toolCall.args)} → ${observation.text}`);
  return observation;
}
