// The section edits as pure functions of the document's text: locate a section by heading path,
// check the guard (the section's first line of text must still read as the model quoted it), and
// compute the new text. The host hands the result to the same editFile path replace_range uses.
import { bodyLines, guardMatches, joinText, splitText } from "../text";
import { parseMarkdown } from "./markdown";
import { findSections, firstTextLine, formatOutline, formatPath, sectionsOf, type Section } from "./sections";

export type SectionEdit = { ok: true; text: string; firstLine: number; lineCount: number; what: string } | { ok: false; error: string };
type Located = { ok: true; section: Section; sections: readonly Section[] } | { ok: false; error: string };

export function noHeadingsMessage(path: string, lines: number): string {
  return `${path} has no headings (${lines} lines), so it has no sections yet: read it with open_range, or add one with insert_section (leave out heading)`;
}

/** One section by heading path; none or several are explained, with the candidates. */
export function locateSection(path: string, text: string, heading: string): Located {
  const structure = parseMarkdown(text);
  const sections = sectionsOf(structure);
  if (sections.length === 0) return { ok: false, error: noHeadingsMessage(path, structure.lines.length) };
  const found = findSections(sections, heading);
  if (found.length === 1) return { ok: true, section: found[0]!, sections };
  if (found.length === 0) {
    const known = sections.slice(0, 40).map(formatPath).join(", ");
    return { ok: false, error: `there is no section "${heading}" in ${path}; its sections are: ${known}` };
  }
  const where = found.map((s) => `${formatPath(s)} (line ${s.startLine})`).join(", ");
  return { ok: false, error: `"${heading}" matches ${found.length} sections in ${path}: ${where}; give more of the heading path (Parent/Heading) to name one` };
}

/** The guard of every section edit: stale edits (the section changed since it was read) are refused. */
export function checkFirstLine(lines: readonly string[], section: Section, quoted: string): string | undefined {
  const first = firstTextLine(lines, section);
  const current = first?.text ?? "";
  if (guardMatches(current, quoted)) return undefined;
  const shown = first ? `line ${first.line} reads ${JSON.stringify(current.trim().slice(0, 80))}` : "the section has no text of its own";
  return `first_line does not match section "${formatPath(section)}": ${shown}, not ${JSON.stringify(quoted.trim())}; the section may have changed since you read it: open_section it again`;
}

function located(path: string, text: string, heading: string, quoted: string): Located {
  const found = locateSection(path, text, heading);
  if (!found.ok) return found;
  const stale = checkFirstLine(splitText(text).lines, found.section, quoted);
  return stale ? { ok: false, error: stale } : found;
}

/** Blank lines at either end of a body are the edit's business, not the model's. */
function trimBlank(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end);
}

function rebuilt(text: string, lines: string[], firstLine: number, lineCount: number, what: string): SectionEdit {
  const split = splitText(text);
  return { ok: true, text: joinText({ lines, eol: split.eol, finalNewline: split.lines.length === 0 ? true : split.finalNewline }), firstLine, lineCount, what };
}

/** Replaces a section's own text (below its heading, above its first subsection); subsections stay. */
export function replaceSection(path: string, text: string, heading: string, quoted: string, body: string | undefined): SectionEdit {
  const found = located(path, text, heading, quoted);
  if (!found.ok) return found;
  const { section } = found;
  const lines = [...splitText(text).lines];
  const content = trimBlank(bodyLines(body));
  const followed = section.ownEnd < lines.length;
  const replacement = [...(content.length ? ["", ...content] : []), ...(followed ? [""] : [])];
  lines.splice(section.headingEnd, section.ownEnd - section.headingEnd, ...replacement);
  return rebuilt(text, lines, section.startLine, replacement.length + 1, `replaced the text of section "${formatPath(section)}" with ${content.length} line${content.length === 1 ? "" : "s"}`);
}

export interface NewSection {
  readonly heading?: string;
  readonly position: "before" | "after";
  readonly quoted?: string;
  readonly level?: number;
  readonly title: string;
  readonly body?: string;
}

/** Inserts a new section before or after one (after its subsections), or at the end or top of the document. */
export function insertSection(path: string, text: string, request: NewSection): SectionEdit {
  const title = request.title.replace(/\s+/g, " ").replace(/^#+\s*/, "").trim();
  if (!title) return { ok: false, error: "title is empty; a section needs a heading" };
  const lines = [...splitText(text).lines];
  let at: number;
  let level = request.level;
  let where: string;
  if (request.heading !== undefined && request.heading.trim() !== "") {
    const found = request.quoted === undefined ? locateSection(path, text, request.heading) : located(path, text, request.heading, request.quoted);
    if (!found.ok) return found;
    at = request.position === "before" ? found.section.startLine - 1 : found.section.endLine;
    level ??= found.section.level;
    where = `${request.position} "${formatPath(found.section)}"`;
  } else {
    const structure = parseMarkdown(text);
    const top = structure.frontMatter?.lastLine ?? 0;
    at = request.position === "before" ? top : lines.length;
    level ??= sectionsOf(structure)[0]?.level ?? 1;
    where = request.position === "before" ? "at the top" : "at the end";
  }
  const content = trimBlank(bodyLines(request.body));
  const block = [`${"#".repeat(level)} ${title}`, ...(content.length ? ["", ...content] : [])];
  const before = at > 0 && lines[at - 1]!.trim() !== "" ? [""] : [];
  const after = at < lines.length && lines[at]!.trim() !== "" ? [""] : [];
  lines.splice(at, 0, ...before, ...block, ...after);
  return rebuilt(text, lines, at + before.length + 1, block.length, `inserted section "${title}" (level ${level}) ${where}`);
}

/** Moves a section with its subsections before or after another one; levels are kept. */
export function moveSection(path: string, text: string, heading: string, quoted: string, target: string, position: "before" | "after"): SectionEdit {
  const found = located(path, text, heading, quoted);
  if (!found.ok) return found;
  const to = locateSection(path, text, target);
  if (!to.ok) return { ok: false, error: `the target: ${to.error}` };
  const moving = found.section;
  const anchor = to.section;
  if (anchor.startLine >= moving.startLine && anchor.startLine <= moving.endLine) {
    return { ok: false, error: `"${formatPath(anchor)}" is inside "${formatPath(moving)}"; a section cannot move into itself` };
  }
  const lines = [...splitText(text).lines];
  const block = lines.slice(moving.startLine - 1, moving.endLine);
  while (block.length && block[block.length - 1]!.trim() === "") block.pop();
  // In the original numbering: the line before which the block goes.
  const dest = position === "before" ? anchor.startLine : anchor.endLine + 1;
  const rest = [...lines.slice(0, moving.startLine - 1), ...lines.slice(moving.endLine)];
  const destInRest = dest > moving.endLine ? dest - (moving.endLine - moving.startLine + 1) : dest;
  const at = destInRest - 1;
  const before = at > 0 && rest[at - 1]!.trim() !== "" ? [""] : [];
  const after = at < rest.length && rest[at]!.trim() !== "" ? [""] : [];
  rest.splice(at, 0, ...before, ...block, ...after);
  return rebuilt(text, rest, at + before.length + 1, block.length, `moved section "${formatPath(moving)}" ${position} "${formatPath(anchor)}"`);
}

/** Deletes a section with its subsections. */
export function deleteSection(path: string, text: string, heading: string, quoted: string): SectionEdit {
  const found = located(path, text, heading, quoted);
  if (!found.ok) return found;
  const { section } = found;
  const lines = [...splitText(text).lines];
  lines.splice(section.startLine - 1, section.endLine - section.startLine + 1);
  const words = section.words;
  return rebuilt(text, lines, Math.max(1, section.startLine - 1), 0, `deleted section "${formatPath(section)}" (lines ${section.startLine}-${section.endLine}, ${words} words)`);
}

/** The outline observation: sections with line ranges and word counts. */
export function outlineText(path: string, text: string): { text: string; sections: readonly Section[] } {
  const structure = parseMarkdown(text);
  const sections = sectionsOf(structure);
  const total = structure.lines.length;
  if (sections.length === 0) return { text: `${noHeadingsMessage(path, total)}.`, sections };
  const before = sections[0]!.startLine > 1 ? `lines 1-${sections[0]!.startLine - 1}: text before the first heading\n` : "";
  return { text: `${path}: ${sections.length} section${sections.length === 1 ? "" : "s"}, ${total} lines\n${before}${formatOutline(sections).join("\n")}`, sections };
}
