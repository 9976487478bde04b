// A range of history as sessions: every non-merge commit converted on its own (replayable from its
// parent), and, for a linear range, the whole range as one session whose last call is `finish`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCallLine } from "../sessions/traceFormat";
import type { ToolCall } from "../tools/types";
import { convertCommit } from "./convert";
import { checkRepository, commitChanges, rangeCommits, type GitReader } from "./history";
import { defaultConvertLimits, fromGitVersion, type CommitInfo, type ConvertedCommit, type ConvertLimits, type GuardCheck } from "./types";

export interface ConvertRangeOptions {
  readonly range: string;
  readonly guard: GuardCheck;
  readonly limits?: ConvertLimits;
  /** Called after each commit (progress). */
  readonly onCommit?: (converted: ConvertedCommit, index: number, total: number) => void;
}

export interface ConvertedRange {
  readonly range: string;
  readonly commits: readonly ConvertedCommit[];
  /** Merge commits in the range: left out (a merge has no single parent to replay from). */
  readonly merges: readonly CommitInfo[];
  /** Paths with uncommitted changes in the user's worktree (not part of any commit; left as they are). */
  readonly dirty: readonly string[];
  /** Whether every commit's parent is the commit before it, so the range is one session. */
  readonly linear: boolean;
}

export async function convertRange(git: GitReader, options: ConvertRangeOptions): Promise<ConvertedRange> {
  const { dirty } = await checkRepository(git);
  const { commits, merges } = await rangeCommits(git, options.range);
  const converted: ConvertedCommit[] = [];
  for (const [index, commit] of commits.entries()) {
    const changes = await commitChanges(git, commit);
    const result = await convertCommit({
      commit,
      parent: commit.parents[0] ?? null,
      changes,
      readBlob: (sha) => git.blob(sha),
      guard: options.guard,
      limits: options.limits ?? defaultConvertLimits,
    });
    converted.push(result);
    options.onCommit?.(result, index, commits.length);
  }
  const linear = merges.length === 0 && commits.every((c, i) => i === 0 || c.parents[0] === commits[i - 1]!.sha);
  return { range: options.range, commits: converted, merges, dirty, linear };
}

/** A commit's calls replayed alone: its `notes` call becomes `finish`, so the replayed session ends. */
export function standaloneCalls(commit: ConvertedCommit): ToolCall[] {
  return withFinish(commit.calls);
}

function withFinish(calls: readonly ToolCall[]): ToolCall[] {
  const last = calls[calls.length - 1];
  if (last?.tool !== "notes") return [...calls];
  return [...calls.slice(0, -1), { tool: "finish", args: {}, body: last.body ?? "" }];
}

export function commitFileName(index: number, commit: ConvertedCommit): string {
  return `${String(index + 1).padStart(4, "0")}-${commit.sha.slice(0, 12)}.jsonl`;
}

export interface Manifest {
  readonly format: "infinite-tool-use/from-git";
  readonly version: number;
  readonly range: string;
  readonly task?: string;
  readonly issue?: number;
  /** The whole range as one session (absent when the range is not linear). */
  readonly session?: string;
  readonly commits: readonly {
    readonly sha: string;
    readonly parent: string | null;
    readonly subject: string;
    readonly file: string;
    readonly calls: number;
    readonly textOnly: boolean;
    readonly skipped: ConvertedCommit["skipped"];
    readonly problems: readonly string[];
    readonly guardJoins: number;
    readonly rewritten: readonly string[];
  }[];
  readonly merges: readonly { readonly sha: string; readonly subject: string }[];
}

const lines = (calls: readonly ToolCall[]) => calls.map(formatCallLine).join("\n") + "\n";

/** Writes `manifest.json`, `commits/NNNN-<sha>.jsonl` and (linear ranges) `session.jsonl` under `dir`. */
export function writeConvertedRange(dir: string, range: ConvertedRange, task?: { text: string; issue?: number }): Manifest {
  mkdirSync(join(dir, "commits"), { recursive: true });
  const commits = range.commits.map((commit, index) => {
    const file = `commits/${commitFileName(index, commit)}`;
    writeFileSync(join(dir, file), lines(standaloneCalls(commit)));
    return {
      sha: commit.sha,
      parent: commit.parent,
      subject: commit.subject,
      file,
      calls: commit.calls.length,
      textOnly: commit.skipped.length === 0,
      skipped: commit.skipped,
      problems: commit.problems,
      guardJoins: commit.guardJoins,
      rewritten: commit.rewritten,
    };
  });
  const session = range.linear && range.commits.length > 0 ? "session.jsonl" : undefined;
  if (session) writeFileSync(join(dir, session), lines(withFinish(range.commits.flatMap((c) => c.calls))));
  const manifest: Manifest = {
    format: "infinite-tool-use/from-git",
    version: fromGitVersion,
    range: range.range,
    ...(task ? { task: task.text } : {}),
    ...(task?.issue !== undefined ? { issue: task.issue } : {}),
    ...(session ? { session } : {}),
    commits,
    merges: range.merges.map((m) => ({ sha: m.sha, subject: m.message.split("\n", 1)[0] ?? "" })),
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
