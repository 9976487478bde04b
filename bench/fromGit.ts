// Benchmark 5: from-git --check throughput. A generated history (each commit edits a TypeScript file
// in three places and adds a small file) is converted and replayed in one VS Code launch, at two
// lengths: commits per minute in all, and whether a replay's cost grows along the launch.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FromGitRow {
  readonly commits: number;
  readonly calls: number;
  readonly exact: number;
  /** Wall time of the whole command: conversion, one VS Code launch, every replay. */
  readonly totalMs: number;
  readonly convertMs: number;
  /** The launch beyond the replays themselves (start, activation, shutdown). */
  readonly launchOverheadMs: number;
  readonly commitsPerMinute: number;
  /** Mean replay ms of the first and of the last quarter of the commits in the launch. */
  readonly firstQuarterMs: number;
  readonly lastQuarterMs: number;
}

const identity = { GIT_AUTHOR_NAME: "Bench", GIT_AUTHOR_EMAIL: "bench@example.invalid", GIT_COMMITTER_NAME: "Bench", GIT_COMMITTER_EMAIL: "bench@example.invalid" };
const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity } }).trim();

function makeHistory(dir: string, commits: number): string {
  mkdirSync(join(dir, "src"), { recursive: true });
  git(dir, ["init", "-q", "-b", "main"]);
  const lines = Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i};`);
  writeFileSync(join(dir, "src/values.ts"), lines.join("\n") + "\n");
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-qm", "Values"]);
  const first = git(dir, ["rev-parse", "HEAD"]);
  for (let c = 1; c <= commits; c++) {
    for (const at of [5, 25, 45]) lines[at] = `export const value${at} = ${at * 1000 + c};`;
    writeFileSync(join(dir, "src/values.ts"), lines.join("\n") + "\n");
    writeFileSync(join(dir, `src/step${c}.ts`), `export function step${c}(): number {\n  return ${c};\n}\n`);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-qm", `Step ${c}: three values and a new function`]);
  }
  return first;
}

export function benchFromGit(cli: string, counts: readonly number[], log: (line: string) => void): FromGitRow[] {
  const rows: FromGitRow[] = [];
  for (const commits of counts) {
    const scratch = mkdtempSync(join(tmpdir(), "itu-bench-from-git-"));
    try {
      const repo = join(scratch, "repo");
      const first = makeHistory(repo, commits);
      const out = join(scratch, "out");
      const started = performance.now();
      const run = spawnSync(process.execPath, [cli, "from-git", repo, "--range", `${first}..main`, "--out", out, "--check", "--json"], { encoding: "utf8", timeout: 60 * 60_000 });
      const totalMs = performance.now() - started;
      if (run.status !== 0) throw new Error(`from-git --check failed (${run.status}): ${run.stderr.slice(-2000)}`);
      const check = JSON.parse(readFileSync(join(out, "check.json"), "utf8")) as { report: { exact: number }; outcomes: { ms: number }[]; convertMs: number; launchMs: number; replayMs: number };
      const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { commits: { calls: number }[] };
      const quarter = Math.max(1, Math.floor(check.outcomes.length / 4));
      const mean = (xs: { ms: number }[]) => xs.reduce((n, x) => n + x.ms, 0) / xs.length;
      const row: FromGitRow = {
        commits,
        calls: manifest.commits.reduce((n, c) => n + c.calls, 0),
        exact: check.report.exact,
        totalMs,
        convertMs: check.convertMs,
        launchOverheadMs: check.launchMs - check.replayMs,
        commitsPerMinute: (commits * 60_000) / totalMs,
        firstQuarterMs: mean(check.outcomes.slice(0, quarter)),
        lastQuarterMs: mean(check.outcomes.slice(-quarter)),
      };
      log(`  ${commits} commits (${row.calls} calls): ${row.exact}/${commits} exact, ${(totalMs / 1000).toFixed(0)} s, ${row.commitsPerMinute.toFixed(1)} commits/min; replay ${row.firstQuarterMs.toFixed(0)} ms (first quarter) vs ${row.lastQuarterMs.toFixed(0)} ms (last quarter); launch overhead ${(row.launchOverheadMs / 1000).toFixed(1)} s`);
      rows.push(row);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return rows;
}
