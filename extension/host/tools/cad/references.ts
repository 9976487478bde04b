// Every file a .scad model would make OpenSCAD read (include, use, import, surface, file = ...),
// followed through included workspace files, must be a literal path inside the workspace. OpenSCAD
// itself reads any path, and searches its own library folders for `include <name>`.
import { readFile, realpath, stat } from "node:fs/promises";
import * as path from "node:path";
import { fileReferences } from "../../../core/tools/cad/scadSource";
import { resolveInside } from "../../../core/tools/paths";

export type ReferenceCheck = { ok: true; files: number } | { ok: false; error: string };

const maxFiles = 200;

export async function checkReferences(workspaceRoot: string, file: string, text: string): Promise<ReferenceCheck> {
  // Paths from resolveInside are under the real root; compare like with like.
  const root = await realpath(workspaceRoot);
  const seen = new Set<string>([file]);
  const queue: { file: string; text: string }[] = [{ file, text }];
  while (queue.length) {
    const current = queue.shift()!;
    const from = path.relative(root, current.file).split(path.sep).join("/");
    for (const ref of fileReferences(current.text)) {
      const where = `${from}:${ref.line}`;
      if (ref.target === undefined) return { ok: false, error: `${where}: ${ref.kind} takes a file name that is not a plain string; only files named literally inside the workspace may be read` };
      if (path.isAbsolute(ref.target) || /^[a-zA-Z]:/.test(ref.target) || ref.target.startsWith("~")) {
        return { ok: false, error: `${where}: ${ref.kind} names ${JSON.stringify(ref.target)}, an absolute path; only files inside the workspace may be read (name them relative to the .scad file)` };
      }
      const relative = path.relative(root, path.resolve(path.dirname(current.file), ref.target)).split(path.sep).join("/");
      const inside = relative.startsWith("../") || relative === ".." ? undefined : await resolveInside(root, relative);
      if (!inside?.ok) return { ok: false, error: `${where}: ${ref.kind} names ${JSON.stringify(ref.target)}, which is outside the workspace; only files inside the workspace may be read` };
      const isFile = await stat(inside.absolute).then((s) => s.isFile(), () => false);
      if (!isFile) return { ok: false, error: `${where}: ${ref.kind} names ${JSON.stringify(ref.target)}, which is not a file in the workspace (OpenSCAD's own libraries are not used)` };
      if ((ref.kind === "include" || ref.kind === "use") && !seen.has(inside.absolute)) {
        if (seen.size >= maxFiles) return { ok: false, error: `${from} includes more than ${maxFiles} files` };
        seen.add(inside.absolute);
        queue.push({ file: inside.absolute, text: await readFile(inside.absolute, "utf8") });
      }
    }
  }
  return { ok: true, files: seen.size };
}
