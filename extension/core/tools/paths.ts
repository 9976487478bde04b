// Path safety: every path the model (or a replayed trace) names must resolve inside the session's
// worktree and must not reach git's own data. This is the one check every path-taking tool uses.
// The textual checks run first (they explain the problem best); the realpath check then catches
// symlinks that lead out or into git data, including through a symlinked parent folder of a file
// that does not exist yet. See docs/security.md for the threat model.
import { lstat, realpath } from "node:fs/promises";
import * as path from "node:path";

export type PathCheck = { ok: true; relative: string; absolute: string } | { ok: false; error: string };

const hint = "use a path relative to the workspace root, such as src/main.ts";

/**
 * Code points that HFS+ (macOS) ignores in file names, as git's is_hfs_dot_git() lists them, plus
 * the other invisible format characters and variation selectors: `.g\u200Cit` is `.git` there.
 */
const ignorableRanges: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];

function isIgnorable(char: string): boolean {
  const code = char.codePointAt(0)!;
  return ignorableRanges.some(([low, high]) => code >= low && code <= high);
}

/** A path component as a case-folding, normalising file system (NTFS, HFS+, APFS) may see it. */
export function foldComponent(component: string): string {
  // Upper then lower case: NTFS compares upper-cased names, so dotless ı and long ſ count as i and s;
  // the combining dot that lower-casing İ leaves is dropped too.
  let folded = [...component.normalize("NFKC")].filter((c) => !isIgnorable(c)).join("").toUpperCase().toLowerCase().replaceAll("\u0307", "");
  // NTFS: "name:stream" is the file "name"; trailing dots and spaces are dropped.
  const colon = folded.indexOf(":");
  if (colon >= 0) folded = folded.slice(0, colon);
  return folded.replace(/[. ]+$/, "");
}

/** Names that are git's own data or steer it, in any spelling a file system folds to them. */
export function gitControlledName(component: string): string | undefined {
  const folded = foldComponent(component);
  // `git~1` and `gi7eba~1` are the NTFS 8.3 short names of `.git` and `.gitmodules`.
  if (folded === ".git" || /^git~\d+$/.test(folded)) return ".git";
  if (folded === ".gitmodules" || /^gi7eba~\d+$/.test(folded)) return ".gitmodules";
  return undefined;
}

/** Checks the text of a workspace-relative path; returns it normalised with forward slashes. */
export function checkRelativePath(input: string): { ok: true; relative: string } | { ok: false; error: string } {
  if (input.includes("\0")) return { ok: false, error: `the path contains a NUL character; ${hint}` };
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, error: `the path is empty; ${hint}` };
  if (trimmed.startsWith("~")) return { ok: false, error: `"${input}" starts with ~ (a home folder); ${hint}` };
  if (/^[a-zA-Z]:/.test(trimmed)) return { ok: false, error: `"${input}" has a drive letter; ${hint}` };
  // file:, vscode-remote:, http:... are refused, never read as a relative name such as "file:/etc".
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(trimmed)) return { ok: false, error: `"${input}" is a URL, not a path; ${hint}` };
  if (trimmed.startsWith("/") || trimmed.startsWith("\\")) return { ok: false, error: `"${input}" is absolute; ${hint}` };
  const parts = trimmed.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { ok: false, error: `"${input}" contains "..", which could leave the workspace; ${hint}` };
  const controlled = parts.map(gitControlledName).find((name) => name !== undefined);
  if (controlled) return { ok: false, error: gitRefusal(input, controlled) };
  return { ok: true, relative: parts.length === 0 ? "." : parts.join("/") };
}

function gitRefusal(input: string, name: string): string {
  return `"${input}" is refused: ${name} is git's own data (its spelling does not matter), and no tool may read or change it. Nothing was changed.`;
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
  // A symlink inside the workspace may still point at .git (`link -> .git`, `d -> sub/.git`).
  const realParts = path.relative(realRoot, real).split(path.sep).filter((p) => p !== "");
  const controlled = realParts.map(gitControlledName).find((name) => name !== undefined);
  if (controlled) return { ok: false, error: `"${input}" leads to ${controlled} through a symbolic link; ${gitRefusal(input, controlled)}` };
  const nested = await nestedRepository(realRoot, realParts);
  if (nested) return { ok: false, error: `"${input}" is inside ${nested}, a separate git repository or submodule; only the session's own files can be used. Nothing was changed.` };
  return { ok: true, relative: text.relative, absolute };
}

/** The first folder on the way to the path (the root excluded) that holds its own `.git`: a
 * submodule or a nested clone, whose files belong to another repository. */
async function nestedRepository(realRoot: string, parts: readonly string[]): Promise<string | undefined> {
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.join(realRoot, ...parts.slice(0, i));
    if (await lstat(path.join(folder, ".git")).then(() => true, () => false)) return parts.slice(0, i).join("/");
  }
  return undefined;
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
