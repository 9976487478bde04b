// `run`: one session on a workspace in a headless VS Code. The session itself runs in the extension
// (dist/headless.js is started as the "tests" entry of a VS Code launch, the only way to run code in
// an extension host from outside); this side launches VS Code, waits, and reports.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { headlessRequestEnv, type HeadlessRequest, type HeadlessResult } from "../../core/headless";
import { runInCodeServer } from "../vscode/codeServer";
import { createIsolatedEnv } from "../vscode/isolatedEnv";
import type { RunOptions } from "./runArgs";

/** The extension's root: dist/cli.mjs lives one folder below it. */
function extensionRoot(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

function runDesktop(root: string, workspace: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn("code", ["--extensionDevelopmentPath", root, "--extensionTestsPath", join(root, "dist/headless.js"), "--disable-workspace-trust", "--new-window", workspace], { env, stdio: "ignore" });
    const timer = setTimeout(() => {
      child.kill();
      resolve(`no result within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.on("error", (e) => resolve(`could not start desktop VS Code: ${e.message}`));
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

export async function runHeadless(options: RunOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const root = extensionRoot();
  const isolated = createIsolatedEnv("run");
  const resultFile = join(isolated.root, "result.json");
  const request: HeadlessRequest = {
    task: options.task,
    ...(options.issueNumber !== undefined ? { issueNumber: options.issueNumber } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.replay ? { replay: options.replay } : {}),
    ...(options.resume ? { resume: options.resume } : {}),
    resultFile,
  };
  const env = { [headlessRequestEnv]: JSON.stringify(request) };
  let problem: string | undefined;
  try {
    if (process.env.ITU_VSCODE === "desktop") {
      problem = await runDesktop(root, options.workspace, { ...isolated.env, ...env }, options.timeoutMs);
    } else {
      const codeServerEntry = process.env.ITU_CODE_SERVER ?? join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
      if (!existsSync(codeServerEntry)) {
        printError(`run: code-server is not installed at ${codeServerEntry}: run \`npm run setup\` in ${root}, or set ITU_VSCODE=desktop to use desktop VS Code`);
        return 2;
      }
      const outcome = await runInCodeServer({
        codeServerEntry,
        chromiumPath: process.env.ITU_CHROMIUM ?? "/usr/bin/chromium",
        isolated,
        workspace: options.workspace,
        extensionPath: root,
        testsEntry: join(root, "dist/headless.js"),
        env,
        timeoutMs: options.timeoutMs,
        onOutput: (line) => {
          if (process.env.ITU_VERBOSE) printError(line);
        },
      });
      problem = outcome.problem;
    }
    if (!existsSync(resultFile)) {
      printError(`run: the session did not report a result${problem ? `: ${problem}` : ""}`);
      return 1;
    }
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as HeadlessResult;
    if (options.json) print(JSON.stringify(result));
    else {
      print(`branch: ${result.branch ?? "(none)"}`);
      print(`ended: ${result.reason} after ${result.steps} ${result.steps === 1 ? "step" : "steps"}: ${result.message}`);
      if (result.summary) print(`summary: ${result.summary}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    rmSync(isolated.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
