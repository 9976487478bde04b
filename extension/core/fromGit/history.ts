// What from-git reads from a repository, through git's plumbing only: it never writes there.
import { execFile } from "node:child_process";
import type { CommitInfo, FileChange } from "./types";

export class FromGitError extends Error {
  override readonly name = "FromGitError";
}

export interface GitReader {
  run(args: readonly string[]): Promise<string>;
  blob(sha: string): Promise<Uint8Array>;
}

export function gitReader(repo: string, binary = "git"): GitReader {
  const exec = (args: readonly string[], encoding: "utf8" | "buffer") =>
    new Promise<string | Buffer>((resolve, reject) => {
      execFile(binary, ["-C", repo, ...args], { encoding, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new FromGitError(`git ${args[0]} failed: ${String(stderr).trim() || error.message}`));
        else resolve(stdout);
      });
    });
  return {
    run: async (args) => String(await exec(args, "utf8")),
    blob: async (sha) => new Uint8Array((await exec(["cat-file", "blob", sha], "buffer")) as Buffer),
  };
}

export interface RangeCommits {
  readonly commits: readonly CommitInfo[];
  readonly merges: readonly CommitInfo[];
}

/** Refuses what from-git cannot read faithfully: not a repository, a shallow clone, a bad range. */
export async function checkRepository(git: GitReader): Promise<{ topLevel: string; dirty: string[] }> {
  let topLevel: string;
  try {
    topLevel = (await git.run(["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new FromGitError("not a git repository (or git is missing)");
  }
  if ((await git.run(["rev-parse", "--is-shallow-repository"])).trim() === "true") {
    throw new FromGitError("this is a shallow clone: its oldest commits have no parents here, so they cannot be replayed; run `git fetch --unshallow` first");
  }
  const status = await git.run(["status", "--porcelain", "-z", "--untracked-files=no"]);
  const dirty = status.split("\0").filter(Boolean).map((entry) => entry.slice(3));
  return { topLevel, dirty };
}

/** The commits of `A..B` (or of `B` alone and its ancestors), oldest first, merges apart. */
export async function rangeCommits(git: GitReader, range: string): Promise<RangeCommits> {
  if (range.startsWith("-")) throw new FromGitError(`${JSON.stringify(range)} is not a range; give A..B`);
  for (const end of range.split(/\.\.\.?/).filter(Boolean)) {
    try {
      await git.run(["rev-parse", "--verify", "--quiet", `${end}^{commit}`]);
    } catch {
      throw new FromGitError(`${JSON.stringify(end)} is not a commit in this repository`);
    }
  }
  const out = await git.run(["log", "--reverse", "--topo-order", "--format=%H%x1f%P%x1f%B%x1e", range, "--"]);
  const all = out
    .split("\x1e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.trim() !== "")
    .map((record): CommitInfo => {
      const [sha = "", parents = "", message = ""] = record.split("\x1f");
      return { sha, parents: parents.split(" ").filter(Boolean), message: message.replace(/\n+$/, "") };
    });
  return { commits: all.filter((c) => c.parents.length <= 1), merges: all.filter((c) => c.parents.length > 1) };
}

const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** The paths a commit changes against its first parent (the empty tree for a root commit), renames detected. */
export async function commitChanges(git: GitReader, commit: CommitInfo): Promise<FileChange[]> {
  const parent = commit.parents[0] ?? emptyTree;
  const out = await git.run(["diff-tree", "-r", "-z", "-M", "--raw", "--no-commit-id", "--no-ext-diff", parent, commit.sha]);
  return parseRawDiff(out);
}

/** `git diff-tree -z --raw`: `:oldmode newmode oldsha newsha status\0path\0[newpath\0]`. */
export function parseRawDiff(out: string): FileChange[] {
  const fields = out.split("\0");
  const changes: FileChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const meta = fields[i++] ?? "";
    if (!meta.startsWith(":")) continue;
    const [oldMode = "", newMode = "", oldBlob = "", newBlob = "", statusField = ""] = meta.slice(1).split(" ");
    const status = statusField[0] as FileChange["status"];
    const first = fields[i++] ?? "";
    if (status === "R" || status === "C") {
      const second = fields[i++] ?? "";
      changes.push({ status, path: second, from: first, oldMode, newMode, oldBlob, newBlob });
    } else changes.push({ status, path: first, oldMode, newMode, oldBlob, newBlob });
  }
  return changes;
}
