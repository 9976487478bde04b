// Sections of a Markdown document: a heading with everything up to the next heading of the same or a
// higher level (its subsections included). Sections are addressed by heading path, `Intro/Motivation`,
// matched at the end like `Class.method` symbols, so the shortest unique suffix is enough.
import type { MarkdownStructure } from "./markdown";
import { countWords } from "./markdown";

export interface Section {
  readonly level: number;
  readonly title: string;
  /** Titles from the outermost heading to this one. */
  readonly path: readonly string[];
  /** 1-based: the heading line, the heading's last line (setext), the section's last line. */
  readonly startLine: number;
  readonly headingEnd: number;
  readonly endLine: number;
  /** Last line of the section's own text (before its first subsection). */
  readonly ownEnd: number;
  /** Words in the whole section, headings of subsections included, its own heading not. */
  readonly words: number;
}

export function sectionsOf(structure: MarkdownStructure): Section[] {
  const { headings, lines } = structure;
  const sections: Section[] = [];
  const open: { level: number; title: string }[] = [];
  headings.forEach((heading, i) => {
    while (open.length && open[open.length - 1]!.level >= heading.level) open.pop();
    const path = [...open.map((o) => o.title), heading.title];
    open.push({ level: heading.level, title: heading.title });
    const next = headings.slice(i + 1).find((h) => h.level <= heading.level);
    const endLine = next ? next.line - 1 : lines.length;
    const firstChild = headings[i + 1] && headings[i + 1]!.line <= endLine ? headings[i + 1]! : undefined;
    const ownEnd = firstChild ? firstChild.line - 1 : endLine;
    sections.push({ level: heading.level, title: heading.title, path, startLine: heading.line, headingEnd: heading.lastLine, endLine, ownEnd, words: countWords(lines.slice(heading.lastLine, endLine)) });
  });
  return sections;
}

export function formatPath(section: Section): string {
  return section.path.join("/");
}

/** Sections whose heading path ends with the wanted one: exact titles first, then ignoring case. */
export function findSections(sections: readonly Section[], wanted: string): Section[] {
  const parts = wanted.split("/").map((p) => p.replace(/^#+\s*/, "").trim()).filter((p) => p !== "");
  if (parts.length === 0) return [];
  const matches = (fold: (s: string) => string) =>
    sections.filter((s) => s.path.length >= parts.length && parts.every((p, i) => fold(s.path[s.path.length - parts.length + i]!) === fold(p)));
  const exact = matches((s) => s);
  return exact.length ? exact : matches((s) => s.toLowerCase());
}

/** The outline the model reads: one line per heading, indented by level, with lines and words. */
export function formatOutline(sections: readonly Section[]): string[] {
  const top = Math.min(...sections.map((s) => s.level));
  return sections.map((s) => `${"  ".repeat(s.level - top)}${"#".repeat(s.level)} ${s.title} (lines ${s.startLine}-${s.endLine}, ${s.words} words)`);
}

/** The first non-blank line of a section's own text, which the edit guards quote back. */
export function firstTextLine(lines: readonly string[], section: Section): { line: number; text: string } | undefined {
  for (let n = section.headingEnd + 1; n <= section.ownEnd; n++) if ((lines[n - 1] ?? "").trim() !== "") return { line: n, text: lines[n - 1]! };
  return undefined;
}
