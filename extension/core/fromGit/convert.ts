// One commit as tool calls: what a person would do to make it, in the tools' own terms. Every edit
// is simulated with the tools' line arithmetic (core/tools/text.ts) and checked with the syntax
// guard before it is emitted, so what is emitted is what a replay will do; what cannot be said
// exactly is reported in `problems`, never guessed.
import { checkRelativePath } from "../tools/paths";
import { bodyLines, looksBinary, replaceLines, splitText } from "../tools/text";
import type { ToolCall } from "../tools/types";
import { lineHunks, mergeHunks, type Hunk } from "./hunks";
import type { CommitInfo, ConvertedCommit, ConvertLimits, FileChange, GuardCheck, SkippedFile } from "./types";

/** Lines of context an `open_range` shows around the lines a hunk touches. */
const readContext = 3;
/** Characters of a line quoted in `start_text` / `end_text` (the tools allow 80). */
const guardChars = 40;
const maxPathChars = 400;

export interface ConvertInput {
  readonly commit: CommitInfo;
  /** The commit replayed from; null for a root commit (replayed from an empty commit). */
  readonly parent: string | null;
  readonly changes: readonly FileChange[];
  readBlob(sha: string): Promise<Uint8Array>;
  readonly guard: GuardCheck;
  readonly limits: ConvertLimits;
}

export function commitSubject(message: string): string {
  return message.split("\n", 1)[0]?.trim() ?? "";
}

type Text = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A blob as text for the tools, or why it is not one. */
async function blobText(input: ConvertInput, sha: string, mode: string, which: string): Promise<Text> {
  if (mode === "160000") return { ok: false, reason: `submodule (${which}): the tools edit files, not submodules` };
  if (mode === "120000") return { ok: false, reason: `symbolic link (${which}): the tools cannot create links` };
  const bytes = await input.readBlob(sha);
  if (bytes.length > input.limits.maxFileBytes) return { ok: false, reason: `${which} version is ${bytes.length} bytes, over the ${input.limits.maxFileBytes}-byte limit` };
  if (looksBinary(bytes)) return { ok: false, reason: `binary file (${which} version has NUL bytes)` };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: `${which} version is not valid UTF-8 (the tools edit UTF-8 text)` };
  }
}

const absent = "0000000000000000000000000000000000000000";

/** Emission order: deletions free paths for renames, renames come before edits of the renamed file, creations last. */
function orderOf(change: FileChange): number {
  return { D: 0, R: 1, T: 2, M: 3, C: 4, A: 4 }[change.status];
}

export async function convertCommit(input: ConvertInput): Promise<ConvertedCommit> {
  const { commit } = input;
  const calls: ToolCall[] = [];
  const skipped: SkippedFile[] = [];
  const problems: string[] = [];
  const rewritten: string[] = [];
  let guardJoins = 0;
  const result = (): ConvertedCommit => ({ sha: commit.sha, parent: input.parent, subject: commitSubject(commit.message), calls, skipped, problems, guardJoins, rewritten });

  if (input.changes.length > input.limits.maxFiles) {
    problems.push(`the commit touches ${input.changes.length} files, more than the limit of ${input.limits.maxFiles} (--max-files); it was not converted`);
    return result();
  }
  for (const change of [...input.changes].sort((a, b) => orderOf(a) - orderOf(b))) {
    for (const p of [change.path, ...(change.from ? [change.from] : [])]) {
      const checked = checkRelativePath(p);
      if (!checked.ok || checked.relative !== p) problems.push(`${JSON.stringify(p)} is not a path the tools accept as it is${checked.ok ? "" : ` (${checked.error})`}`);
      else if (p.length > maxPathChars) problems.push(`${p} is longer than the tools' ${maxPathChars}-character path limit`);
    }
    if (change.status === "T") {
      skipped.push({ path: change.path, reason: `type change (mode ${change.oldMode} to ${change.newMode})` });
      continue;
    }
    // The executable bit is not text: the content is converted, the mode is reported as skipped.
    const modeChange = change.newMode === "100755" ? change.oldMode !== "100755" : change.oldMode === "100755" && change.newMode === "100644";
    if (modeChange) skipped.push({ path: change.path, reason: `file mode ${change.newMode} (the tools write content, not modes; the content is converted)`, modeOnly: true });

    if (change.status === "D") {
      if (change.oldMode === "160000" || change.oldMode === "120000") {
        skipped.push({ path: change.path, reason: change.oldMode === "160000" ? "submodule removed: the tools edit files, not submodules" : "symbolic link removed: the tools do not follow or delete links" });
        continue;
      }
      // A text file is looked at before it goes; a binary one cannot be opened, only deleted.
      const old = await blobText(input, change.oldBlob, change.oldMode, "old");
      if (old.ok) calls.push({ tool: "open_range", args: { path: change.path, start: 1, end: 20 } });
      calls.push({ tool: "delete_file", args: { path: change.path } });
      continue;
    }
    if (change.status === "R" && change.from && change.oldBlob === change.newBlob && change.newMode !== "120000" && change.newMode !== "160000") {
      // A pure rename needs no look at the content (binary files included).
      calls.push({ tool: "rename_file", args: { path: change.from, to: change.path } });
      continue;
    }
    const next = await blobText(input, change.newBlob, change.newMode, "new");
    if (!next.ok) {
      skipped.push({ path: change.path, reason: next.reason });
      continue;
    }
    if (change.status === "A" || change.status === "C" || change.oldBlob === absent) {
      await emitCreate(input, change.path, next.text, calls, problems);
      continue;
    }
    const old = await blobText(input, change.oldBlob, change.oldMode, "old");
    if (!old.ok) {
      skipped.push({ path: change.path, reason: old.reason });
      continue;
    }
    if (change.status === "R" && change.from) calls.push({ tool: "rename_file", args: { path: change.from, to: change.path } });
    if (old.text === next.text) continue;
    const edits = await lineEdits(input, change.path, old.text, next.text);
    if (edits) {
      calls.push(...edits.calls);
      guardJoins += edits.joins;
      if (edits.problem) problems.push(edits.problem);
    } else {
      // Line edits keep a file's line breaks and final newline; these bytes need the file rewritten.
      rewritten.push(change.path);
      calls.push({ tool: "open_range", args: { path: change.path, start: 1, end: 20 } }, { tool: "delete_file", args: { path: change.path } });
      await emitCreate(input, change.path, next.text, calls, problems);
    }
  }
  calls.push({ tool: "notes", args: { action: "append" }, body: commit.message });
  return result();
}

/** create_file writes the body as it is, adding a final newline unless told not to. */
async function emitCreate(input: ConvertInput, path: string, text: string, calls: ToolCall[], problems: string[]): Promise<void> {
  if (!(await input.guard(path, "", text))) problems.push(`the syntax guard refuses ${path} as the commit wrote it (it has syntax errors the grammar reports)`);
  const keepUnterminated = text !== "" && !/\n$/.test(text);
  calls.push(text === "" ? { tool: "create_file", args: { path } } : { tool: "create_file", args: keepUnterminated ? { path, final_newline: false } : { path }, body: text });
}

/** The first characters of a line, as `start_text` / `end_text` quote it (whole code points). */
export function guardText(line: string): string {
  return Array.from(line.trim()).slice(0, guardChars).join("");
}

function bodyOf(lines: readonly string[]): string | undefined {
  return lines.length === 0 ? undefined : `${lines.join("\n")}\n`;
}

/** The call that applies a hunk to `lines` (numbered as they are now). */
export function hunkCall(path: string, lines: readonly string[], hunk: Hunk): ToolCall {
  const body = bodyOf(hunk.newLines);
  if (hunk.oldCount === 0) return { tool: "insert_lines", args: { path, after: hunk.oldStart - 1 }, body: body ?? "" };
  const start = hunk.oldStart;
  const end = hunk.oldStart + hunk.oldCount - 1;
  const args = { path, start, end, start_text: guardText(lines[start - 1] ?? ""), end_text: guardText(lines[end - 1] ?? "") };
  return body === undefined ? { tool: "replace_range", args } : { tool: "replace_range", args, body };
}

function readCall(path: string, lineCount: number, hunk: Hunk): ToolCall {
  const start = Math.max(1, hunk.oldStart - readContext);
  const end = Math.max(start, Math.min(Math.max(lineCount, 1), hunk.oldStart + Math.max(hunk.oldCount, 1) - 1 + readContext));
  return { tool: "open_range", args: { path, start, end } };
}

function applyHunk(text: string, hunk: Hunk): string {
  const applied = replaceLines(text, hunk.oldStart, hunk.oldStart + hunk.oldCount - 1, bodyLines(bodyOf(hunk.newLines)));
  if (!applied.ok) throw new Error(`internal: a hunk does not fit its file (${applied.error})`);
  return applied.text;
}

/**
 * Hunks bottom-up (so each keeps the old file's line numbers), a read before each edit. An edit whose
 * result the syntax guard refuses (a half-made change) is joined with the hunk above it, and so on,
 * until the state parses; the whole change as one edit is the last resort. undefined when line
 * edits cannot reproduce the bytes (line endings, BOM): the caller rewrites the file.
 */
async function lineEdits(input: ConvertInput, path: string, before: string, after: string): Promise<{ calls: ToolCall[]; joins: number; problem?: string } | undefined> {
  if (before.startsWith("\uFEFF") || after.startsWith("\uFEFF")) return undefined;
  const old = splitText(before);
  const hunks = lineHunks(old.lines, splitText(after).lines);
  // Bottom-up: a pending group of hunks (in file order) is emitted as one edit.
  const remaining = [...hunks];
  const calls: ToolCall[] = [];
  let text = before;
  let joins = 0;
  let problem: string | undefined;
  while (remaining.length > 0) {
    let take = 1;
    for (;;) {
      const group = remaining.slice(remaining.length - take);
      const hunk = group.length === 1 ? group[0]! : mergeHunks(old.lines, group);
      const next = applyHunk(text, hunk);
      const ok = await input.guard(path, text, next);
      if (ok || take === remaining.length) {
        if (!ok) problem = `the syntax guard refuses an edit of ${path} even with all its remaining hunks in one edit`;
        joins += take - 1;
        const lines = splitText(text).lines;
        calls.push(readCall(path, lines.length, hunk), hunkCall(path, lines, hunk));
        text = next;
        remaining.splice(remaining.length - take, take);
        break;
      }
      take++;
    }
  }
  if (text !== after) return undefined;
  return problem ? { calls, joins, problem } : { calls, joins };
}
