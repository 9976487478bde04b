// `from-git`: converts a range of history into sessions (core/fromGit/), writes them, and with
// --check replays them all in one headless VS Code and prints the fidelity report.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../../core/errorMessage";
import { convertRange, writeConvertedRange } from "../../core/fromGit/convertRange";
import { FromGitError, gitReader } from "../../core/fromGit/history";
import { fidelityLines, fidelityReport, meetsFidelityBar } from "../../core/fromGit/report";
import type { GuardCheck } from "../../core/fromGit/types";
import { apiBaseFor, environmentAdvice, findGitHubRemote, GitHubClient, parseMarkdownIssue, taskFromGitHubIssue, taskText } from "../../core/issues";
import { createSyntaxService } from "../../core/syntax/service";
import { launchReplayCheck } from "./checkLaunch";
import type { FromGitOptions } from "./fromGitArgs";

function extensionRoot(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/** The same guard the edit tools apply (every supported language on), so the calls pass it on replay. */
function syntaxGuard(root: string): GuardCheck {
  const service = createSyntaxService({ grammarsDir: join(root, "grammars"), runtimeWasm: join(root, "dist", "web-tree-sitter.wasm") });
  return async (path, before, after) => (await service.guard(path, before, after, () => true)).ok;
}

async function readIssue(options: FromGitOptions): Promise<{ text: string; issue?: number } | undefined> {
  if (!options.issue) return undefined;
  if ("file" in options.issue) {
    const task = parseMarkdownIssue(readFileSync(options.issue.file, "utf8"), options.issue.file);
    return { text: taskText(task), ...(task.issueNumber !== undefined ? { issue: task.issueNumber } : {}) };
  }
  const remote = await findGitHubRemote(options.repo);
  const client = new GitHubClient({ baseUrl: apiBaseFor(remote, process.env.GITHUB_API_URL), advice: environmentAdvice, ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}) });
  const task = taskFromGitHubIssue(await client.getIssue(remote.owner, remote.repo, options.issue.number), remote.owner, remote.repo);
  return { text: taskText(task), issue: options.issue.number };
}

export async function runFromGit(options: FromGitOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const root = extensionRoot();
  const git = gitReader(options.repo);
  let task: { text: string; issue?: number } | undefined;
  let range;
  const started = Date.now();
  try {
    task = await readIssue(options);
    range = await convertRange(git, { range: options.range, guard: syntaxGuard(root), limits: { maxFileBytes: options.maxFileBytes, maxFiles: options.maxFiles } });
  } catch (error) {
    printError(`from-git: ${errorMessage(error)}`);
    return error instanceof FromGitError || (error as Error).name === "IssueFileError" ? 2 : 1;
  }
  const convertMs = Date.now() - started;
  if (range.dirty.length) printError(`from-git: note: ${range.dirty.length} files have uncommitted changes; they belong to no commit, so they are not converted, and they are left as they are`);
  if (range.merges.length) printError(`from-git: the range has ${range.merges.length} merge commits (first ${range.merges[0]!.sha.slice(0, 12)}); they are left out, and each other commit is converted to replay from its own parent`);
  if (range.commits.length === 0) {
    printError(`from-git: the range ${options.range} has no non-merge commits`);
    return 2;
  }
  const manifest = writeConvertedRange(options.out, range, task);
  for (const c of manifest.commits) {
    const notes = [...c.skipped.map((s) => `skipped ${s.path}: ${s.reason}`), ...c.problems];
    if (notes.length) printError(`from-git: ${c.sha.slice(0, 12)} ${c.subject}: ${notes.join("; ")}`);
  }
  print(`converted ${manifest.commits.length} commits (${manifest.commits.reduce((n, c) => n + c.calls, 0)} calls) in ${(convertMs / 1000).toFixed(1)} s into ${options.out}`);
  if (!options.check) return 0;

  let result;
  try {
    result = await launchReplayCheck({
      root,
      repo: options.repo,
      outDir: options.out,
      manifest,
      ...(task ? { task: task.text } : {}),
      timeoutMs: options.timeoutMs ?? 120_000 + 60_000 * manifest.commits.length,
      onOutput: (line) => {
        if (process.env.ITU_VERBOSE) printError(line);
      },
    });
  } catch (error) {
    printError(`from-git --check: ${errorMessage(error)}`);
    return 1;
  }
  const report = fidelityReport(manifest, result.outcomes);
  const replayMs = result.outcomes.reduce((n, o) => n + o.ms, 0);
  writeFileSync(join(options.out, "check.json"), JSON.stringify({ report, outcomes: result.outcomes, convertMs, launchMs: result.launchMs, replayMs }, null, 2) + "\n");
  if (options.json) print(JSON.stringify({ ...report, convertMs, launchMs: result.launchMs, replayMs }));
  else {
    for (const line of fidelityLines(report)) print(line);
    print(`replayed ${result.outcomes.length} commits in one VS Code launch: ${(result.launchMs / 1000).toFixed(1)} s in all, ${(replayMs / 1000).toFixed(1)} s in the replays`);
  }
  return meetsFidelityBar(report) ? 0 : 1;
}
