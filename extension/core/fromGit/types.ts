// The vocabulary of the git-history converter (from-git): what it reads from git for one commit,
// and what it makes of it. Written to disk as docs/training-data.md describes.
import type { ToolCall } from "../tools/types";

/** Version of the from-git output (manifest.json and the call files); bump on incompatible change. */
export const fromGitVersion = 1;

/** One changed path of a commit, as `git diff-tree -r -M --raw` lists it. */
export interface FileChange {
  /** A added, M modified, D deleted, R renamed (maybe edited too), T type changed, C copied. */
  readonly status: "A" | "M" | "D" | "R" | "T" | "C";
  readonly path: string;
  /** The old path of a rename or copy. */
  readonly from?: string;
  /** Octal git modes: 100644 file, 100755 executable, 120000 symlink, 160000 submodule, 000000 none. */
  readonly oldMode: string;
  readonly newMode: string;
  readonly oldBlob: string;
  readonly newBlob: string;
}

export interface CommitInfo {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
}

/** A file left out of a conversion, with why: the commit is then not text-only. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
  /** Only the file's mode was left out; its content is converted. */
  readonly modeOnly?: true;
}

export interface ConvertedCommit {
  readonly sha: string;
  /** The commit the calls replay from (the first parent; an empty commit for a root commit). */
  readonly parent: string | null;
  readonly subject: string;
  /** The calls, reads before edits, ending with a `notes` call holding the commit message. */
  readonly calls: readonly ToolCall[];
  readonly skipped: readonly SkippedFile[];
  /** Why the calls cannot reproduce the commit exactly (they are still the closest expression). */
  readonly problems: readonly string[];
  /** Neighbouring hunks joined into one edit so that every intermediate state passes the syntax guard. */
  readonly guardJoins: number;
  /** Files rewritten whole (delete + create) because line edits cannot keep their bytes (line endings, BOM). */
  readonly rewritten: readonly string[];
}

/** Whether the syntax guard lets an edit from `before` to `after` through (core/syntax/service.ts). */
export type GuardCheck = (path: string, before: string, after: string) => Promise<boolean>;

export interface ConvertLimits {
  /** Files over this many bytes (either version) are skipped. */
  readonly maxFileBytes: number;
  /** A commit touching more files than this is reported, not converted. */
  readonly maxFiles: number;
}

export const defaultConvertLimits: ConvertLimits = { maxFileBytes: 1024 * 1024, maxFiles: 1000 };
