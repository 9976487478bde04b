// Markdown structure for the prose tools and the syntax guard: headings (ATX and setext), fenced
// blocks and a YAML front-matter block, with 1-based line numbers. Parsed with markdown-it, a
// CommonMark parser: no tree-sitter Markdown grammar ships as a wasm that web-tree-sitter 0.27 loads
// (@vscode/tree-sitter-wasm has none; @tree-sitter-grammars/tree-sitter-markdown ships sources only).
// markdown-it's block tokens carry line maps, which is all the outline and the guard need.
import MarkdownIt from "markdown-it";
import { splitText } from "../text";

export interface MarkdownHeading {
  readonly level: number;
  readonly title: string;
  /** 1-based; a setext heading's title line. */
  readonly line: number;
  /** Last line of the heading itself (a setext heading's underline). */
  readonly lastLine: number;
}

export interface MarkdownFence {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lastLine: number;
  /** False when the closing fence is missing: the block runs to the end of the document. */
  readonly closed: boolean;
  readonly info: string;
}

export interface FrontMatter {
  readonly line: number;
  /** The closing `---` (or `...`) line; undefined when it is missing. */
  readonly lastLine: number | undefined;
}

export interface MarkdownStructure {
  readonly lines: readonly string[];
  readonly headings: readonly MarkdownHeading[];
  readonly fences: readonly MarkdownFence[];
  readonly frontMatter?: FrontMatter;
}

const parser = new MarkdownIt("commonmark");

export function isMarkdownPath(filePath: string): boolean {
  return /\.(md|markdown|mdown|mkd)$/i.test(filePath);
}

/** A front-matter block opens with `---` on the first line and closes with `---` or `...`. */
export function frontMatterOf(lines: readonly string[]): FrontMatter | undefined {
  if (lines[0]?.trimEnd() !== "---") return undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === "---" || line === "...") return { line: 1, lastLine: i + 1 };
  }
  return { line: 1, lastLine: undefined };
}

export function parseMarkdown(text: string): MarkdownStructure {
  const lines = splitText(text).lines;
  const frontMatter = frontMatterOf(lines);
  // Front matter is not Markdown (its `---` would read as a rule or a setext underline): blank it
  // out, keeping the line count, before markdown-it sees the text. An unclosed block hides nothing.
  const body = frontMatter?.lastLine ? lines.map((l, i) => (i < frontMatter.lastLine! ? "" : l)) : lines;
  const tokens = parser.parse(body.join("\n"), {});
  const headings: MarkdownHeading[] = [];
  const fences: MarkdownFence[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "heading_open" && token.map) {
      const title = tokens[i + 1]?.type === "inline" ? tokens[i + 1]!.content.trim() : "";
      headings.push({ level: Number(token.tag.slice(1)), title, line: token.map[0] + 1, lastLine: token.map[1] });
    } else if (token.type === "fence" && token.map) {
      const lastLine = token.map[1];
      fences.push({ line: token.map[0] + 1, lastLine, closed: isClosingFence(body[lastLine - 1] ?? "", token.markup, lastLine > token.map[0] + 1), info: token.info.trim() });
    }
  }
  return frontMatter ? { lines, headings, fences, frontMatter } : { lines, headings, fences };
}

/** markdown-it ends an unclosed fence at the end of the document; a closed one ends on its closing line. */
function isClosingFence(line: string, markup: string, hasBodyLine: boolean): boolean {
  if (!hasBodyLine) return false;
  const trimmed = line.trim();
  const char = markup[0] ?? "`";
  let run = 0;
  while (trimmed[run] === char) run++;
  return run >= markup.length && trimmed.slice(run).trim() === "";
}

/** Structural problems an edit must not add: an unclosed fenced block, an unclosed front matter. */
export interface MarkdownProblem {
  readonly line: number;
  readonly description: string;
}

export function markdownProblems(structure: MarkdownStructure): MarkdownProblem[] {
  const problems: MarkdownProblem[] = [];
  if (structure.frontMatter && structure.frontMatter.lastLine === undefined) {
    problems.push({ line: 1, description: "the front matter opened by `---` on line 1 is never closed (a `---` line must end it)" });
  }
  for (const fence of structure.fences) {
    if (!fence.closed) problems.push({ line: fence.line, description: `the fenced block opened on line ${fence.line} is never closed, so everything after it becomes code` });
  }
  return problems;
}

const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function countWords(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) n += line.match(wordPattern)?.length ?? 0;
  return n;
}
