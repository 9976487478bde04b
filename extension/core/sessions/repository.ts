// Facts about the user's repository that every session operation checks first: is this a git
// repository with a commit, where its shared git directory is, and is a merge, rebase, cherry-pick
// or revert in progress (then the store refuses rather than adding to the confusion).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { noCommitsMessage, SessionError } from "./errors";
import type { GitGate } from "./gitGate";

export interface RepositoryInfo {
  /** The top level of the working tree the store was opened on (the user's). */
  readonly topLevel: string;
  /** This working tree's git directory (`.git`, or `.git/worktrees/<name>` for a linked one). */
  readonly gitDir: string;
  /** The git directory shared by every worktree; the store keeps its files under it. */
  readonly commonDir: string;
}

const inProgressMarkers: ReadonlyArray<[string, string]> = [
  ["MERGE_HEAD", "a merge"],
  ["rebase-merge", "a rebase"],
  ["rebase-apply", "a rebase or git am"],
  ["CHERRY_PICK_HEAD", "a cherry-pick"],
  ["REVERT_HEAD", "a revert"],
];

export async function inspectRepository(git: GitGate, folder: string): Promise<RepositoryInfo> {
  if (!existsSync(folder)) throw new SessionError("invalid-argument", `The folder ${folder} does not exist.`);
  const out = await git.run(folder, ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir", "--git-common-dir"]);
  const [topLevel, gitDir, commonDir] = out.trim().split("\n");
  if (!topLevel || !gitDir || !commonDir) throw new SessionError("not-a-repository", `${folder} is not inside a git working tree (a bare repository has no files to edit).`);
  return { topLevel, gitDir, commonDir };
}

/** Throws operation-in-progress when the user's tree is in the middle of a merge, rebase, etc. */
export function refuseIfOperationInProgress(repo: RepositoryInfo): void {
  for (const [marker, what] of inProgressMarkers) {
    if (existsSync(join(repo.gitDir, marker))) {
      throw new SessionError("operation-in-progress", `${capitalize(what)} is in progress in ${repo.topLevel}; finish or abort it first. Nothing was changed.`);
    }
  }
}

export async function requireCommit(git: GitGate, repo: RepositoryInfo, rev: string): Promise<string> {
  try {
    return (await git.run(repo.topLevel, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`])).trim();
  } catch (error) {
    const failed = error instanceof SessionError && (error.code === "git-failed" || error.code === "no-commits");
    if (failed && rev === "HEAD") throw new SessionError("no-commits", noCommitsMessage);
    if (failed) throw new SessionError("invalid-argument", `${JSON.stringify(rev)} is not a commit or branch in this repository.`);
    throw error;
  }
}

/** The short branch name HEAD points to, or null when HEAD is detached. */
export async function currentBranch(git: GitGate, repo: RepositoryInfo): Promise<string | null> {
  const out = await git.run(repo.topLevel, ["symbolic-ref", "-q", "--short", "HEAD"]).catch(() => "");
  return out.trim() || null;
}

export async function branchExists(git: GitGate, repo: RepositoryInfo, branch: string): Promise<boolean> {
  return git.succeeds(repo.topLevel, ["show-ref", "--verify", "--quiet", `refs/heads/${branch}`]);
}

export interface WorktreeEntry {
  readonly path: string;
  readonly branch?: string;
}

export async function listWorktrees(git: GitGate, repo: RepositoryInfo): Promise<WorktreeEntry[]> {
  const out = await git.run(repo.topLevel, ["worktree", "list", "--porcelain", "-z"]);
  const entries: WorktreeEntry[] = [];
  let current: { path?: string; branch?: string } = {};
  for (const field of out.split("\0")) {
    if (field === "") {
      if (current.path) entries.push(current.branch ? { path: current.path, branch: current.branch } : { path: current.path });
      current = {};
    } else if (field.startsWith("worktree ")) current.path = field.slice("worktree ".length);
    else if (field.startsWith("branch ")) current.branch = field.slice("branch ".length);
  }
  return entries;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
