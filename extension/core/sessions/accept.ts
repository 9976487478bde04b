// Accept a session into its base branch, as one squashed commit or keeping every step. The merge is
// computed in the object store (git merge-tree), never in a working tree; the base branch then moves
// with a compare-and-swap. When the base is checked out somewhere (usually the user's own tree),
// that tree is moved with a two-way `read-tree -m -u`, the same check `git checkout` makes: it keeps
// the user's unrelated staged and unstaged changes, and refuses, changing nothing, when they touch a
// file the session changed.
import { SessionError } from "./errors";
import type { GitGate } from "./gitGate";
import { sessionRefs } from "./naming";
import { listWorktrees, refuseIfOperationInProgress } from "./repository";
import type { SessionStore } from "./sessionStore";
import type { TraceHeader } from "./traceFormat";
import { TraceStore } from "./traceStore";

export interface AcceptOptions {
  /** true: one commit on the base; false: the steps' commits (fast-forward, or a merge commit). */
  readonly squash: boolean;
  /** The squash commit's message; default: the session's summary, else its task. */
  readonly message?: string;
}

export interface AcceptResult {
  readonly base: string;
  /** The base branch's new tip. */
  readonly commit: string;
  /** The worktree whose files were moved along (the base was checked out there), if any. */
  readonly updatedWorktree?: string;
}

export async function acceptSession(store: SessionStore, id: string, options: AcceptOptions): Promise<AcceptResult> {
  const git = store.git;
  const repo = store.repo.topLevel;
  const trace = await TraceStore.open(git, repo, id);
  const { header, end } = await trace.read();
  if (!header.base.ref) throw new SessionError("base-not-a-branch", `Session ${id} started from a detached commit; there is no base branch to accept it into. Merge ${header.branch} by hand.`);
  const baseRef = `refs/heads/${header.base.ref}`;
  const sessionTip = (await git.run(repo, ["rev-parse", "--verify", `refs/heads/${header.branch}`]).catch(() => {
    throw new SessionError("session-not-active", `Session ${id} has no branch any more; it was accepted or discarded.`);
  })).trim();
  const baseTip = (await git.run(repo, ["rev-parse", "--verify", baseRef])).trim();
  if (sessionTip === header.base.commit) throw new SessionError("invalid-argument", `Session ${id} changed no file; there is nothing to accept.`);

  const checkedOutAt = (await listWorktrees(git, store.repo)).find((w) => w.branch === baseRef)?.path;
  if (checkedOutAt) refuseIfOperationInProgress(checkedOutAt === store.repo.topLevel ? store.repo : { ...store.repo, gitDir: await gitDirOf(git, checkedOutAt) });

  const tree = await mergedTree(git, repo, header, baseTip, sessionTip);
  const message = options.message?.trim() || end?.summary.trim() || header.task;
  const commit = await acceptedCommit(git, repo, { squash: options.squash, tree, baseTip, sessionTip, message, id });

  if (checkedOutAt) await moveCheckedOutTree(git, checkedOutAt, header.base.ref, baseTip, commit);
  await git.run(repo, ["update-ref", "-m", `infinite-tool-use: accept ${id}`, baseRef, commit, baseTip]).catch(async (error: unknown) => {
    // The base moved between our read and our write: put the user's tree back as it was.
    if (checkedOutAt) await git.run(checkedOutAt, ["read-tree", "-m", "-u", commit, baseTip]);
    throw error;
  });

  await git.run(repo, ["update-ref", sessionRefs.backup(id, "accepted"), sessionTip]);
  if (!end) await trace.finish({ type: "end", summary: message, at: new Date().toISOString() });
  await store.removeWorktree(id);
  await git.run(repo, ["branch", "-q", "-D", header.branch]);
  return checkedOutAt ? { base: header.base.ref, commit, updatedWorktree: checkedOutAt } : { base: header.base.ref, commit };
}

/** The tree of base + session. When the base moved, a real three-way merge in the object store;
 * conflicts refuse the accept with the conflicting paths. */
async function mergedTree(git: GitGate, repo: string, header: TraceHeader, baseTip: string, sessionTip: string): Promise<string> {
  if (await git.succeeds(repo, ["merge-base", "--is-ancestor", baseTip, sessionTip])) return (await git.run(repo, ["rev-parse", `${sessionTip}^{tree}`])).trim();
  try {
    const out = await git.run(repo, ["merge-tree", "--write-tree", "--name-only", "--no-messages", baseTip, sessionTip]);
    return out.split("\n")[0]!.trim();
  } catch (error) {
    const detail = error instanceof SessionError ? (error.git?.stderr ?? "") : "";
    const files = detail.split("\n").slice(1).filter((l) => l.trim()).slice(0, 20);
    throw new SessionError(
      "base-moved-conflict",
      `${header.base.ref} has moved since session ${header.sessionId} started, and its changes conflict with the session's${files.length ? ` (${files.join(", ")})` : ""}. Nothing was changed.`,
    );
  }
}

interface CommitPlan {
  readonly squash: boolean;
  readonly tree: string;
  readonly baseTip: string;
  readonly sessionTip: string;
  readonly message: string;
  readonly id: string;
}

async function acceptedCommit(git: GitGate, repo: string, plan: CommitPlan): Promise<string> {
  if (plan.squash) return (await git.run(repo, ["commit-tree", plan.tree, "-p", plan.baseTip, "-F", "-"], { input: `${plan.message}\n\nSession-Id: ${plan.id}\n` })).trim();
  const fastForward = await git.succeeds(repo, ["merge-base", "--is-ancestor", plan.baseTip, plan.sessionTip]);
  if (fastForward) return plan.sessionTip;
  return (await git.run(repo, ["commit-tree", plan.tree, "-p", plan.baseTip, "-p", plan.sessionTip, "-F", "-"], { input: `Merge session ${plan.id}: ${plan.message}\n\nSession-Id: ${plan.id}\n` })).trim();
}

/** Moves a tree that has the base checked out from baseTip to commit, as `git checkout` would. */
async function moveCheckedOutTree(git: GitGate, worktree: string, base: string, baseTip: string, commit: string): Promise<void> {
  try {
    await git.run(worktree, ["read-tree", "-m", "-u", baseTip, commit]);
  } catch (error) {
    const detail = error instanceof SessionError ? (error.git?.stderr ?? error.message) : String(error);
    throw new SessionError(
      "user-changes-overlap",
      `Your uncommitted changes in ${worktree} touch files this session changed, so accepting into ${base} would overwrite them. Commit or stash them, then accept again. Nothing was changed.\n${detail.trim()}`,
    );
  }
}

async function gitDirOf(git: GitGate, worktree: string): Promise<string> {
  return (await git.run(worktree, ["rev-parse", "--path-format=absolute", "--git-dir"])).trim();
}
