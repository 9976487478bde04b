// A local issue file: Markdown whose first `# ` heading is the title and whose remaining text is the
// body, with optional front matter (`---` lines) that may give the issue `number` (and a `title`
// used when there is no heading). Only flat `key: value` front matter is read: that is all an issue
// file needs, and it keeps a YAML library out of the extension bundle.
import type { Task } from "./task";

export class IssueFileError extends Error {
  override readonly name = "IssueFileError";
}

export function parseMarkdownIssue(text: string, path: string): Task {
  const { meta, content } = splitFrontMatter(text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n"), path);
  const lines = content.split("\n");
  const headingIndex = lines.findIndex((l) => /^# \S/.test(l));
  const heading = headingIndex >= 0 ? lines[headingIndex]!.slice(2).replace(/\s+#*\s*$/, "").trim() : undefined;
  const title = heading ?? meta.get("title");
  if (!title) throw new IssueFileError(`${path} has no title: start it with a "# Title" line (or give "title:" in its front matter).`);
  const body = (headingIndex >= 0 ? [...lines.slice(0, headingIndex), ...lines.slice(headingIndex + 1)] : lines).join("\n").trim();
  const number = parseIssueNumber(meta.get("number") ?? meta.get("issue"), path);
  return { title, body, ...(number === undefined ? {} : { issueNumber: number }), source: { kind: "file", path } };
}

function splitFrontMatter(text: string, path: string): { meta: Map<string, string>; content: string } {
  const meta = new Map<string, string>();
  if (!text.startsWith("---\n")) return { meta, content: text };
  const close = text.indexOf("\n---", 3);
  if (close < 0) throw new IssueFileError(`${path}: the front matter opened by "---" on line 1 is never closed by another "---" line.`);
  for (const line of text.slice(4, close).split("\n")) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (match) meta.set(match[1]!.toLowerCase(), unquote(match[2]!.trim()));
  }
  return { meta, content: text.slice(close + 4).replace(/^[^\n]*\n?/, "") };
}

function parseIssueNumber(value: string | undefined, path: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const digits = value.replace(/^#/, "");
  if (!/^\d{1,9}$/.test(digits) || Number(digits) === 0) throw new IssueFileError(`${path}: "number" in the front matter must be a positive whole number, not ${JSON.stringify(value)}.`);
  return Number(digits);
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
