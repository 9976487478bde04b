// The entry that the headless `run` command starts inside VS Code's extension host (as its
// extensionTestsPath): run one session as requested, write the result file, and return so that
// VS Code exits. `from-git --check` starts the same entry with a replay-check request instead.
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { headlessRequestEnv, parseHeadlessRequest, type HeadlessResult } from "../core/headless";
import { parseReplayCheckRequest, replayCheckRequestEnv } from "../core/fromGit/checkProtocol";
import type { ExtensionApi } from "./extensionApi";
import { runReplayCheck } from "./replayCheck";
import { errorMessage } from "../core/errorMessage";

async function activated(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>("infinite-tool-use.infinite-tool-use");
  if (!extension) throw new Error("the Infinite Tool Use extension is not loaded");
  return extension.activate();
}

export async function run(): Promise<void> {
  const check = process.env[replayCheckRequestEnv];
  if (check) {
    const request = parseReplayCheckRequest(check);
    try {
      writeFileSync(request.resultFile, JSON.stringify(await runReplayCheck((await activated()).workbench, request)));
    } catch (error) {
      writeFileSync(request.resultFile, JSON.stringify({ outcomes: [], error: errorMessage(error) }));
    }
    return;
  }
  const request = parseHeadlessRequest(process.env[headlessRequestEnv]);
  let result: HeadlessResult;
  try {
    result = await (await activated()).workbench.runHeadless(request);
  } catch (error) {
    result = { ok: false, reason: "error", message: errorMessage(error), steps: 0 };
  }
  writeFileSync(request.resultFile, JSON.stringify(result));
}
