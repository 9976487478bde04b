// Path safety: every path the model names must resolve inside the session's workspace. The textual
// checks run first (they explain the problem best); the realpath check then catches symlinks that
// lead out, including through a symlinked parent folder of a file that does not exist yet.
import { realpath } from "node:fs/promises";
import * as path from "node:path";

export type PathCheck = { ok: true; relative: string; absolute: string } | { ok: false; error: string };

/** Checks the text of a workspace-relative path; returns it normalised with forward slashes. */
export function checkRelativePath(input: string): { ok: true; relative: string } | { ok: false; error: string } {
  const hint = "use a path relative to the workspace root, such as src/main.ts";
  if (input.includes("\0")) return { ok: false, error: `the path contains a NUL character; ${hint}` };
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, error: `the path is empty; ${hint}` };
  if (trimmed.startsWith("~")) return { ok: false, error: `"${input}" starts with ~ (a home folder); ${hint}` };
  if (/^[a-zA-Z]:/.test(trimmed)) return { ok: false, error: `"${input}" has a drive letter; ${hint}` };
  if (trimmed.startsWith("/") || trimmed.startsWith("\\")) return { ok: false, error: `"${input}" is absolute; ${hint}` };
  const parts = trimmed.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { ok: false, error: `"${input}" contains "..", which could leave the workspace; ${hint}` };
  return { ok: true, relative: parts.length === 0 ? "." : parts.join("/") };
}

/** Resolves a model-given path inside `root`, following symlinks of the longest existing prefix. */
export async function resolveInside(root: string, input: string): Promise<PathCheck> {
  const text = checkRelativePath(input);
  if (!text.ok) return text;
  const realRoot = await realpath(root);
  const absolute = path.join(realRoot, ...text.relative.split("/"));
  const real = await realpathOfLongestExisting(absolute);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    return { ok: false, error: `"${input}" leads outside the workspace through a symbolic link; only files inside the workspace can be used` };
  }
  return { ok: true, relative: text.relative, absolute };
}

async function realpathOfLongestExisting(absolute: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
