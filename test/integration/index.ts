// Runs inside the VS Code extension host (extensionTestsPath). Loads the compiled mocha suites of
// one group (ITU_SUITE_DIR), runs them, and writes a result file (ITU_RESULT_FILE). The launcher
// trusts only that file: a crashed extension host can still make the workbench report success.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

export interface IntegrationResult {
  passed: number;
  failed: number;
  pending: number;
  failures: string[];
}

export function run(): Promise<void> {
  const suiteDir = process.env.ITU_SUITE_DIR;
  const resultFile = process.env.ITU_RESULT_FILE;
  if (!suiteDir || !resultFile) return Promise.reject(new Error("ITU_SUITE_DIR and ITU_RESULT_FILE must be set by the launcher"));
  const mocha = new Mocha({
    ui: "bdd",
    color: false,
    timeout: Number(process.env.ITU_TEST_TIMEOUT_MS ?? 60_000),
    grep: process.env.ITU_TEST_GREP || undefined,
    reporter: "spec",
  });
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith(".test.js")).sort()) mocha.addFile(join(suiteDir, file));
  return new Promise((resolve, reject) => {
    const result: IntegrationResult = { passed: 0, failed: 0, pending: 0, failures: [] };
    const runner = mocha.run((failures) => {
      writeFileSync(resultFile, JSON.stringify(result));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on("pass", () => result.passed++);
    runner.on("pending", () => result.pending++);
    runner.on("fail", (test, err: Error) => {
      result.failed++;
      result.failures.push(`${test.fullTitle()}: ${err.message}`);
    });
  });
}
