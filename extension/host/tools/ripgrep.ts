// ripgrep, as shipped inside VS Code itself (the same binary its search view uses), so that
// find and folder outlines honour .gitignore the way the editor does. files.exclude is passed as
// extra globs, since ripgrep does not know VS Code settings.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";

export function ripgrepPath(): string {
  const candidates = [
    path.join(vscode.env.appRoot, "node_modules", "@vscode", "ripgrep", "bin", "rg"),
    path.join(vscode.env.appRoot, "node_modules.asar.unpacked", "@vscode", "ripgrep", "bin", "rg"),
  ].flatMap((p) => [p, `${p}.exe`]);
  return candidates.find((p) => existsSync(p)) ?? "rg";
}

/** `files.exclude` patterns that are switched on, as ripgrep's negated globs. */
export function excludeGlobs(root: vscode.Uri): string[] {
  const excluded = vscode.workspace.getConfiguration("files", root).get<Record<string, unknown>>("exclude") ?? {};
  return Object.entries(excluded)
    .filter(([, on]) => on === true)
    .flatMap(([glob]) => ["--glob", `!${glob}`]);
}

export interface RipgrepResult {
  readonly lines: string[];
  readonly error?: string;
}

/** Runs rg in `cwd`; exit code 1 (nothing found) is not an error. Output is capped in bytes. */
export function ripgrep(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<RipgrepResult> {
  return new Promise((resolve) => {
    const options = { cwd, maxBuffer: 16 * 1024 * 1024, signal, encoding: "utf8" as const };
    execFile(ripgrepPath(), ["--no-require-git", "--no-config", ...excludeGlobs(vscode.Uri.file(cwd)), ...args], options, (error, stdout, stderr) => {
      const lines = stdout.split("\n").filter((l) => l !== "");
      const code = (error as { code?: unknown } | null)?.code;
      if (error && code !== 1) resolve({ lines, error: stderr.trim() || error.message });
      else resolve({ lines });
    });
  });
}
