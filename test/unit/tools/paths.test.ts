import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { checkRelativePath, resolveInside } from "../../../extension/core/tools/paths";

describe("paths stay inside the workspace", () => {
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "~/x", "C:\\x", "c:/x", "a\0b", "", "\\\\server\\x"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      const r = checkRelativePath(bad);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.error.includes("relative to the workspace root"));
    });
  }
  it("normalises harmless forms", () => {
    assert.deepEqual(checkRelativePath("./src//a.ts"), { ok: true, relative: "src/a.ts" });
    assert.deepEqual(checkRelativePath("."), { ok: true, relative: "." });
  });
  it("refuses symlinks that lead out, also through a folder, and accepts ones that stay in", async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), "itu-paths-")));
    const root = join(base, "ws");
    const outside = join(base, "outside");
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.txt"), "s");
    writeFileSync(join(root, "in.txt"), "i");
    symlinkSync(join(outside, "secret.txt"), join(root, "link.txt"));
    symlinkSync(outside, join(root, "outdir"));
    symlinkSync(join(root, "in.txt"), join(root, "inlink.txt"));
    const link = await resolveInside(root, "link.txt");
    assert.ok(!link.ok && link.error.includes("outside the workspace"));
    assert.equal((await resolveInside(root, "outdir/new-file.txt")).ok, false);
    assert.deepEqual(await resolveInside(root, "inlink.txt"), { ok: true, relative: "inlink.txt", absolute: join(root, "inlink.txt") });
    assert.deepEqual(await resolveInside(root, "new/dir/f.txt"), { ok: true, relative: "new/dir/f.txt", absolute: join(root, "new", "dir", "f.txt") });
  });
});

describe("git's own data is out of reach, in every spelling", () => {
  const spellings = [".git", ".GIT", ".Git", ".git.", ".git ", ".git. . ", "git~1", "GIT~1", ".git::$INDEX_ALLOCATION", ".g\u200Cit", "\uFEFF.git", ".\uFF47it", "\uFF0Egit", ".gıt", ".GİT", ".gitmodules", ".GITMODULES", "gi7eba~1"];
  for (const name of spellings) {
    for (const where of [name, `${name}/config`, `sub/${name}/config`, `a\\${name}\\HEAD`, `./${name}//hooks/pre-commit`]) {
      it(`refuses ${JSON.stringify(where)}`, () => {
        const r = checkRelativePath(where);
        assert.equal(r.ok, false);
        assert.match(!r.ok ? r.error : "", /is git's own data .* no tool may read or change it/);
      });
    }
  }
  for (const fine of [".gitignore", ".github/workflows/ci.yml", "git", "src/.gitkeep", "my.git/x", ".git-blame-ignore-revs", "gitx~1"]) {
    it(`accepts ${JSON.stringify(fine)}`, () => assert.equal(checkRelativePath(fine).ok, true));
  }
  for (const url of ["file:///etc/passwd", "file:/etc/passwd", "FILE:x", "vscode-remote://host/x", "http://example.com/a", "untitled:Untitled-1"]) {
    it(`refuses the URL ${url}, never reading it as a relative path`, () => {
      const r = checkRelativePath(url);
      assert.ok(!r.ok && /is a URL, not a path|drive letter/.test(r.error), JSON.stringify(r));
    });
  }

  it("refuses symlinks inside the workspace that lead to .git, and paths inside a nested repository", async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), "itu-paths-git-")));
    writeFileSync(join(root, ".git"), "gitdir: /elsewhere\n");
    mkdirSync(join(root, "sub", ".git"), { recursive: true });
    writeFileSync(join(root, "sub", ".git", "config"), "[core]\n");
    mkdirSync(join(root, "vendor", "lib"), { recursive: true });
    writeFileSync(join(root, "vendor", "lib", ".git"), "gitdir: ../../.git/modules/lib\n");
    writeFileSync(join(root, "vendor", "lib", "x.c"), "int x;\n");
    symlinkSync(".git", join(root, "dotgit"));
    symlinkSync("sub/.git", join(root, "subgit"));
    const link = await resolveInside(root, "dotgit");
    assert.ok(!link.ok && link.error.includes("leads to .git through a symbolic link"), JSON.stringify(link));
    const through = await resolveInside(root, "subgit/config");
    assert.ok(!through.ok && through.error.includes("leads to .git"), JSON.stringify(through));
    const nested = await resolveInside(root, "vendor/lib/x.c");
    assert.ok(!nested.ok && nested.error.includes("vendor/lib, a separate git repository or submodule"), JSON.stringify(nested));
    assert.equal((await resolveInside(root, "sub")).ok, false, "a folder holding its own .git is another repository");
    assert.equal((await resolveInside(root, "vendor/new.c")).ok, true);
  });
});
