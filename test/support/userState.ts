// Everything of the user's that a session must never change, as digests: HEAD, their branches and
// stash, the raw index bytes, config, hooks, and every file of the working tree. One entry per item,
// so that a failure names what changed. Raw files rather than git commands: reading must not
// refresh anything (even `git status` may rewrite the index).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export function userState(root: string, userRefs: readonly string[] = ["refs/heads/main", "refs/heads/feature", "refs/stash"]): Record<string, string> {
  const digest = (data: Buffer | string) => createHash("sha256").update(data).digest("hex").slice(0, 16);
  const state: Record<string, string> = {};
  const gitDir = join(root, ".git");
  const hooks = existsSync(join(gitDir, "hooks")) ? readdirSync(join(gitDir, "hooks")).map((f) => `hooks/${f}`) : [];
  for (const f of ["HEAD", "index", "config", ...hooks, ...userRefs, "logs/refs/stash"]) {
    state[`.git/${f}`] = existsSync(join(gitDir, f)) ? digest(readFileSync(join(gitDir, f))) : "-";
  }
  // Git may rewrite packed-refs when other refs are deleted; only the user's lines in it count.
  const packed = existsSync(join(gitDir, "packed-refs")) ? readFileSync(join(gitDir, "packed-refs"), "utf8") : "";
  state[".git/packed-refs (user's refs)"] = digest(packed.split("\n").filter((l) => userRefs.some((r) => l.endsWith(` ${r}`))).join("\n"));
  for (const [f, value] of files(root, "")) state[f] = value;
  return state;
}

/** The working tree's files, symlinks not followed (a link is its target text), `.git` left out. */
function* files(root: string, folder: string): Generator<[string, string]> {
  const digest = (data: Buffer | string) => createHash("sha256").update(data).digest("hex").slice(0, 16);
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (path === ".git") continue;
    if (entry.isSymbolicLink()) yield [path, `link to ${readlinkSync(join(root, path))}`];
    else if (entry.isDirectory()) {
      yield [path, "folder"];
      yield* files(root, path);
    } else yield [path, digest(readFileSync(join(root, path)))];
  }
}
