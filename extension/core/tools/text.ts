// Line arithmetic on file text, shared by every line-addressed tool. Pure functions: the editor
// adapters hand in the document's text and apply what comes back, so the rules (line endings kept,
// final newline kept, 1-based inclusive ranges) live in one tested place.

export type Eol = "\n" | "\r\n";

export interface SplitText {
  /** The file's lines without their line breaks. An empty file has none. */
  readonly lines: readonly string[];
  /** The line break the file uses (its first one); "\n" for a file without any. */
  readonly eol: Eol;
  /** Whether the last line ends with a line break. */
  readonly finalNewline: boolean;
}

const lineBreak = /\r\n|\n|\r/;

export function splitText(text: string): SplitText {
  if (text.length === 0) return { lines: [], eol: "\n", finalNewline: false };
  const first = lineBreak.exec(text);
  const eol: Eol = first?.[0] === "\r\n" ? "\r\n" : "\n";
  const lines = text.split(lineBreak);
  const finalNewline = lines[lines.length - 1] === "";
  if (finalNewline) lines.pop();
  return { lines, eol, finalNewline };
}

export function joinText(split: SplitText): string {
  if (split.lines.length === 0) return "";
  return split.lines.join(split.eol) + (split.finalNewline ? split.eol : "");
}

/** A body from the model as lines; one trailing line break is a terminator, not an extra empty line. */
export function bodyLines(body: string | undefined): string[] {
  if (body === undefined || body === "") return [];
  const lines = body.split(lineBreak);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export type LineEditResult = { ok: true; text: string; firstLine: number; lineCount: number } | { ok: false; error: string };

/**
 * Replaces lines start..end (1-based, inclusive) with new lines; `end = start - 1` inserts before
 * `start` without removing anything. The file keeps its line breaks and final-newline presence
 * (an empty file gains a final newline, as new files conventionally have one).
 */
export function replaceLines(text: string, start: number, end: number, replacement: readonly string[]): LineEditResult {
  const split = splitText(text);
  const count = split.lines.length;
  if (start < 1 || start > count + 1) return { ok: false, error: `line ${start} is past the end: the file has ${count} line${count === 1 ? "" : "s"}` };
  if (end < start - 1 || end > count) return { ok: false, error: `line ${end} is past the end: the file has ${count} line${count === 1 ? "" : "s"}` };
  const lines = [...split.lines.slice(0, start - 1), ...replacement, ...split.lines.slice(end)];
  const finalNewline = count === 0 ? true : split.finalNewline;
  return { ok: true, text: joinText({ lines, eol: split.eol, finalNewline }), firstLine: start, lineCount: replacement.length };
}

/** Whether a guard the model gave matches a line: the start of the line's text, spaces at both ends ignored. */
export function guardMatches(line: string, guard: string): boolean {
  const want = guard.trim();
  const have = line.trim();
  return want === "" ? have === "" : have.startsWith(want);
}

export interface NumberedWindowOptions {
  readonly start: number;
  readonly end: number;
  /** Longest line shown; longer ones are cut and marked. */
  readonly maxLineLength?: number;
}

/** Lines start..end formatted as `  12│text`, the numbering the model quotes back in edits. */
export function numberLines(lines: readonly string[], options: NumberedWindowOptions): string {
  const width = String(options.end).length;
  const max = options.maxLineLength ?? 400;
  const out: string[] = [];
  for (let n = options.start; n <= options.end && n <= lines.length; n++) {
    const line = lines[n - 1] ?? "";
    const shown = line.length > max ? `${line.slice(0, max)}… (${line.length - max} more characters)` : line;
    out.push(`${String(n).padStart(width)}│${shown}`);
  }
  return out.join("\n");
}

/** The smallest span that turns `before` into `after`, so editors keep cursors and undo stays small. */
export function minimalChange(before: string, after: string): { start: number; end: number; text: string } {
  let prefix = 0;
  const limit = Math.min(before.length, after.length);
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never split a CRLF pair or a surrogate pair between the kept and the replaced parts.
  while (prefix > 0 && isPairStart(before, prefix - 1)) prefix--;
  while (suffix > 0 && isPairStart(before, before.length - suffix - 1) && before.length - suffix - 1 >= prefix) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

function isPairStart(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code === 13 && text.charCodeAt(index + 1) === 10) || (code >= 0xd800 && code <= 0xdbff);
}

/** A file whose first bytes hold a NUL is treated as binary (the rule git and ripgrep use). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
