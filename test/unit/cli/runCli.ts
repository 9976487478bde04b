// Runs the built CLI as a user runs it: `node dist/cli.mjs ...` in a child process.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

// Relative to the bundled test (dist-test/unit/<folder>/<name>.test.mjs), not to this file.
export const CLI = fileURLToPath(new URL("../../../dist/cli.mjs", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Resolves (never rejects) with the exit code (-1 when killed or not started) and both streams. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
