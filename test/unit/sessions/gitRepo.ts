// Helpers for tests that need a real git repository in a temporary folder.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const env = { ...process.env, GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid", GIT_CONFIG_NOSYSTEM: "1" };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A repository on branch `main` with one commit holding `files`. */
export function makeRepo(files: Record<string, string> = { "README.md": "hello\n", "src/a.ts": "export const a = 1;\n" }): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "itu-sessions-"));
  git(root, "init", "-q", "-b", "main");
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "initial");
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Everything of the user's that must not change: HEAD, branches, stash, raw index bytes, files;
 * one digest per item, so that a failure names what changed. */
export function userState(root: string): Record<string, string> {
  const digest = (data: Buffer | string) => createHash("sha256").update(data).digest("hex").slice(0, 16);
  const state: Record<string, string> = {};
  const gitDir = join(root, ".git");
  // Raw files rather than git commands: reading must not refresh anything, and it is fast.
  const userRefs = ["refs/heads/main", "refs/heads/feature", "refs/stash"];
  for (const f of ["HEAD", "index", "config", ...userRefs, "logs/refs/stash"]) {
    state[`.git/${f}`] = existsSync(join(gitDir, f)) ? digest(readFileSync(join(gitDir, f))) : "-";
  }
  // Git may rewrite packed-refs when other refs are deleted; only the user's lines in it count.
  const packed = existsSync(join(gitDir, "packed-refs")) ? readFileSync(join(gitDir, "packed-refs"), "utf8") : "";
  state[".git/packed-refs (user's refs)"] = digest(packed.split("\n").filter((l) => userRefs.some((r) => l.endsWith(` ${r}`))).join("\n"));
  for (const f of readdirSync(root, { recursive: true }).map(String).sort()) {
    if (f === ".git" || f.startsWith(".git/")) continue;
    try {
      state[f] = digest(readFileSync(join(root, f)));
    } catch {
      state[f] = "folder";
    }
  }
  return state;
}
