// Git in a session's worktree, without trusting the worktree. The worktree's `.git` is a one-line
// file that any process writing files there could change (a tool call that slipped past the path
// resolver, a task the user defined); if git followed it, the session's `add`, `commit` or `reset`
// would land in the user's repository. So the session's git data is found from the repository's
// side (the admin folder whose `gitdir` file names this worktree), every command runs with GIT_DIR
// and GIT_WORK_TREE set to it, and before anything is written the `.git` file and HEAD are checked
// to be the session's own; a mismatch is refused and changes nothing.
import { readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SessionError } from "./errors";
import type { GitGate, GitRunOptions } from "./gitGate";
import { LooseObjects } from "./looseObjects";

export class SessionWorktree {
  private objectWriter: Promise<LooseObjects> | undefined;

  private constructor(
    private readonly git: GitGate,
    /** The worktree's own git data: <common-dir>/worktrees/<name>. */
    readonly gitDir: string,
    readonly path: string,
    readonly branch: string,
  ) {}

  /** Finds the admin folder of the worktree at `path` under `commonDir`; throws when there is none. */
  static locate(git: GitGate, commonDir: string, path: string, branch: string): SessionWorktree {
    const expected = realOrSelf(join(path, ".git"));
    const adminRoot = join(commonDir, "worktrees");
    let names: string[] = [];
    try {
      names = readdirSync(adminRoot);
    } catch {
      // No linked worktrees at all: handled below.
    }
    for (const name of names) {
      const pointer = readText(join(adminRoot, name, "gitdir"));
      if (pointer !== undefined && realOrSelf(pointer.trim()) === expected) return new SessionWorktree(git, join(adminRoot, name), path, branch);
    }
    throw new SessionError("session-changed-elsewhere", `The session worktree ${path} is not registered with this repository any more; nothing was changed.`);
  }

  /** Runs git on the session's own git data and files, whatever the worktree's `.git` file says. */
  run(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return this.git.run(this.path, args, { ...options, env: { ...options.env, GIT_DIR: this.gitDir, GIT_WORK_TREE: this.path } });
  }

  /** The object folder of the session's git data (the repository's), asked of git once. */
  objects(): Promise<LooseObjects> {
    this.objectWriter ??= LooseObjects.open((args) => this.run(args)).catch((error: unknown) => {
      this.objectWriter = undefined;
      throw error;
    });
    return this.objectWriter;
  }

  /**
   * Removes the lock files a killed run left on the session's own git data (its index, HEAD, its
   * branch and the given refs), so that resume does not fail on "index.lock: File exists". A live
   * git holds such a lock for milliseconds and replaces it on every command, so a lock that stays
   * the same file for `settleMs` is stale. Locks on shared data (packed-refs, other branches) are
   * never touched: they may belong to the user's own git. Returns the paths it removed.
   */
  async clearStaleLocks(refs: readonly string[], settleMs = 2000): Promise<string[]> {
    const commonDir = dirname(dirname(this.gitDir));
    const candidates = [join(this.gitDir, "index.lock"), join(this.gitDir, "HEAD.lock"), ...[`refs/heads/${this.branch}`, ...refs].map((ref) => join(commonDir, `${ref}.lock`))];
    const found = candidates.map((path) => ({ path, before: lockStamp(path) })).filter((l) => l.before !== undefined);
    if (found.length === 0) return [];
    await sleep(settleMs);
    const stale = found.filter((l) => lockStamp(l.path) === l.before);
    for (const lock of stale) rmSync(lock.path, { force: true }); // force: a git that just ended may have removed it
    return stale.map((l) => l.path);
  }

  /**
   * Refuses (throws, having changed nothing) unless the worktree's `.git` file still points at the
   * session's git data and that data's HEAD is the session branch: the check before every write.
   */
  assertOwn(): void {
    const dotGit = readText(join(this.path, ".git"));
    const target = dotGit?.match(/^gitdir: (.+?)\r?\n?$/)?.[1];
    const pointsHome = target !== undefined && realOrSelf(isAbsolute(target) ? target : resolve(this.path, target)) === realOrSelf(this.gitDir);
    if (!pointsHome) {
      throw new SessionError(
        "worktree-tampered",
        `The session worktree's .git file no longer points at the session's own git data (${dotGit === undefined ? "it is missing" : "it was changed"}), so the step was not recorded and nothing of yours was touched.`,
      );
    }
    const head = readText(join(this.gitDir, "HEAD"))?.trim();
    if (head !== `ref: refs/heads/${this.branch}`) {
      throw new SessionError("worktree-tampered", `The session worktree is no longer on its branch ${this.branch} (HEAD is ${head ?? "missing"}), so the step was not recorded and nothing of yours was touched.`);
    }
  }
}

/** Identifies one lock file (inode and change time); undefined when there is none. */
function lockStamp(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.ctimeMs}`;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}
