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
