// The entry that the headless `run` command starts inside VS Code's extension host (as its
// extensionTestsPath): run one session as requested, write the result file, and return so that
// VS Code exits.
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { headlessRequestEnv, parseHeadlessRequest, type HeadlessResult } from "../core/headless";
import type { ExtensionApi } from "./extensionApi";
import { errorMessage } from "../core/errorMessage";

export async function run(): Promise<void> {
  const request = parseHeadlessRequest(process.env[headlessRequestEnv]);
  let result: HeadlessResult;
  try {
    const extension = vscode.extensions.getExtension<ExtensionApi>("infinite-tool-use.infinite-tool-use");
    if (!extension) throw new Error("the Infinite Tool Use extension is not loaded");
    const api = await extension.activate();
    result = await api.workbench.runHeadless(request);
  } catch (error) {
    result = { ok: false, reason: "error", message: errorMessage(error), steps: 0 };
  }
  writeFileSync(request.resultFile, JSON.stringify(result));
}
