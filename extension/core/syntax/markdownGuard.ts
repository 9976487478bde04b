// The syntax guard for Markdown, which has no tree-sitter grammar here: an edit may not leave a fenced
// block or the front-matter block unclosed (everything after it would change meaning). As with the
// tree-sitter guard, problems the file already had do not block an edit; only new ones do.
import { markdownProblems, parseMarkdown, type MarkdownProblem } from "../tools/prose/markdown";
import { numberLines } from "../tools/text";

export type MarkdownGuardResult = { ok: true } | { ok: false; report: string };

export function guardMarkdown(before: string, after: string): MarkdownGuardResult {
  const old = markdownProblems(parseMarkdown(before));
  const structure = parseMarkdown(after);
  const next = markdownProblems(structure);
  if (next.length <= old.length) return { ok: true };
  const known = new Set(old.map(key));
  const fresh = next.find((p) => !known.has(key(p))) ?? next[0]!;
  const start = Math.max(1, fresh.line - 3);
  return { ok: false, report: `line ${fresh.line}: ${fresh.description}\n${numberLines(structure.lines, { start, end: Math.min(structure.lines.length, fresh.line + 5) })}` };
}

function key(problem: MarkdownProblem): string {
  return problem.description.replace(/\d+/g, "#");
}
