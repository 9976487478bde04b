// Real git repositories for the from-git tests: a helper that writes files (bytes or text), commits,
// and reads back what the user's repository looks like (to prove it never changes).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const identity = { GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity }, maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
}

export class Repo {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    git(dir, ["init", "-q", "-b", "main"]);
    git(dir, ["config", "core.autocrlf", "false"]);
  }

  write(path: string, content: string | Uint8Array): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return this;
  }

  executable(path: string): this {
    chmodSync(join(this.dir, path), 0o755);
    return this;
  }

  link(path: string, target: string): this {
    symlinkSync(target, join(this.dir, path));
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { force: true, recursive: true });
    return this;
  }

  commit(message: string): string {
    git(this.dir, ["add", "-A"]);
    git(this.dir, ["commit", "-q", "--allow-empty", "-m", message]);
    return git(this.dir, ["rev-parse", "HEAD"]).trim();
  }

  /** Everything a from-git run could disturb: refs, HEAD, index and worktree status, worktrees, stash, config. */
  fingerprint(): string {
    return [
      git(this.dir, ["for-each-ref", "--format=%(refname) %(objectname)"]),
      git(this.dir, ["symbolic-ref", "-q", "HEAD"]),
      git(this.dir, ["status", "--porcelain=v2", "--untracked-files=all"]),
      git(this.dir, ["worktree", "list", "--porcelain"]),
      git(this.dir, ["stash", "list"]),
      git(this.dir, ["config", "--local", "--list"]),
    ].join("\n---\n");
  }
}
