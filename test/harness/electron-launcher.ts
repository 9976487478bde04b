// Runs one group of integration suites in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (a contributor's laptop, hosted CI). Same suites, same result file.
import { runTests } from "@vscode/test-electron";
import type { LaunchOptions, LaunchOutcome } from "../../extension/cli/vscode/codeServer";
import { errorMessage } from "../../extension/core/errorMessage";

export async function runInDesktopVsCode(options: LaunchOptions): Promise<LaunchOutcome> {
  try {
    const exitCode = await runTests({
      version: process.env.ITU_VSCODE_VERSION ?? "1.100.3",
      extensionDevelopmentPath: options.extensionPath,
      extensionTestsPath: options.testsEntry,
      extensionTestsEnv: options.env,
      launchArgs: [
        options.workspace,
        "--user-data-dir", options.isolated.userDataDir,
        "--extensions-dir", options.isolated.extensionsDir,
        ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]), "--disable-gpu", "--skip-welcome", "--skip-release-notes",
      ],
    });
    return { exitCode };
  } catch (error) {
    return { exitCode: undefined, problem: errorMessage(error) };
  }
}
