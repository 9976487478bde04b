// Property: whatever path a model or a trace names, the resolver every tool uses (resolveInside)
// accepts only paths inside the workspace that reach no git data. 5,000 random paths from a
// hostile alphabet (test/support/hostilePaths.ts) on a fixture with symlinks to .git, to a nested
// repository's .git, out of the workspace and inside it. Every accepted path is then really written
// (as create_file would), and afterwards nothing outside the workspace and no git data changed.
// ITU_PROPERTY_SEED reproduces a failure.
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { after, describe, it } from "node:test";
import { resolveInside } from "../../../extension/core/tools/paths";
import { hostilePathGenerator, namesGitData } from "../../support/hostilePaths";

/** Every file and folder under `root` (symlinks not followed) with a digest of its bytes. */
function snapshot(root: string): Map<string, string> {
  const state = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    state.set(relative(root, path), entry.isFile() ? createHash("sha256").update(readFileSync(path)).digest("hex") : entry.isSymbolicLink() ? "link" : "folder");
  }
  return state;
}

describe("hostile paths (property)", () => {
  const seed = Number(process.env.ITU_PROPERTY_SEED ?? 20261203);
  const base = realpathSync(mkdtempSync(join(tmpdir(), "itu-hostile-")));
  const root = join(base, "worktree");
  const outside = join(base, "outside");
  const userGit = join(base, "user-repo", ".git");
  after(() => rmSync(base, { recursive: true, force: true }));

  mkdirSync(join(root, "src"), { recursive: true });
  mkdirSync(outside);
  mkdirSync(join(userGit, "hooks"), { recursive: true });
  writeFileSync(join(userGit, "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(userGit, "index"), "DIRC user index");
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  writeFileSync(join(root, ".git"), `gitdir: ${join(userGit, "worktrees", "s")}\n`);
  writeFileSync(join(root, "src", "a.ts"), "export const a = 1;\n");
  mkdirSync(join(root, "sub", ".git"), { recursive: true });
  writeFileSync(join(root, "sub", ".git", "config"), "[core]\n");
  symlinkSync(".git", join(root, "link-to-git"));
  symlinkSync("sub/.git", join(root, "link-to-subgit"));
  symlinkSync(outside, join(root, "escape"));
  symlinkSync("src", join(root, "inlink"));

  it("accepts no path that leaves the workspace or reaches git data, over 5,000 random paths, and writing every accepted one changes nothing outside", async () => {
    const next = hostilePathGenerator(seed);
    const outsideBefore = snapshot(outside);
    const userGitBefore = snapshot(join(base, "user-repo"));
    const dotGitBefore = readFileSync(join(root, ".git"));
    const subGitBefore = snapshot(join(root, "sub", ".git"));
    let accepted = 0;
    let written = 0;
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) {
      const path = next();
      const result = await resolveInside(root, path);
      if (!result.ok) {
        assert.ok(result.error.length > 20 && !result.error.includes("undefined"), `seed ${seed}, case ${i}: unclear refusal of ${JSON.stringify(path)}: ${result.error}`);
        continue;
      }
      accepted++;
      const where = `seed ${seed}, case ${i}: ${JSON.stringify(path)} was accepted as ${result.relative}`;
      assert.ok(result.absolute === root || result.absolute.startsWith(root + sep), where);
      assert.ok(!result.relative.split("/").some(namesGitData), `${where}: it names git data`);
      // Write it as create_file would, unless it names an existing folder (or the root).
      let isFolder = false;
      try {
        isFolder = statSync(result.absolute).isDirectory();
      } catch {
        // Does not exist yet.
      }
      if (isFolder) continue;
      try {
        mkdirSync(dirname(result.absolute), { recursive: true });
        writeFileSync(result.absolute, `case ${i}\n`);
        written++;
      } catch (error) {
        // A file where a folder is needed, a name too long: the file system refuses; fine.
        if (!/ENOTDIR|EEXIST|ENAMETOOLONG|EISDIR/.test(String(error))) throw error;
      }
    }
    assert.deepEqual(snapshot(outside), outsideBefore, `seed ${seed}: a file outside the workspace changed`);
    assert.deepEqual(snapshot(join(base, "user-repo")), userGitBefore, `seed ${seed}: the user's git data changed`);
    assert.deepEqual(readFileSync(join(root, ".git")), dotGitBefore, `seed ${seed}: the worktree's .git file changed`);
    assert.deepEqual(snapshot(join(root, "sub", ".git")), subGitBefore, `seed ${seed}: the nested repository's git data changed`);
    for (const name of snapshot(root).keys()) assert.ok(!name.split(sep).slice(0, -1).some(namesGitData) || name.startsWith(`sub${sep}.git`), `seed ${seed}: ${name} was created inside git data`);
    assert.ok(accepted > 200 && accepted < 4000, `the generator should mix accepted and refused paths (accepted ${accepted})`);
    console.log(`    5000 hostile paths: ${accepted} accepted, ${written} written, ${5000 - accepted} refused, in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed})`);
  });
});
