// The syntax service the tools use: outline a file's text, and guard an edit. Files of languages
// without a grammar get no outline and no guard (never an error).
//
// The syntax guard: an edit may not add ERROR or MISSING nodes to a file. Comparing counts before
// and after (rather than demanding a clean parse) lets the model edit files that were already
// broken, or that the grammar does not fully support, without being blocked by old problems.
import type { Node, Tree } from "web-tree-sitter";
import { numberLines, splitText } from "../tools/text";
import { languageForPath, type LanguageSpec } from "./languages";
import { guardMarkdown } from "./markdownGuard";
import { isMarkdownPath } from "../tools/prose/markdown";
import { enclosingSymbols, symbolsOf, type OutlineSymbol } from "./outline";
import { createSyntaxRuntime, type SyntaxRuntimeOptions } from "./parser";

export interface Analysis {
  readonly language: LanguageSpec;
  readonly symbols: readonly OutlineSymbol[];
  readonly problems: readonly SyntaxProblem[];
}

export type GuardResult = { ok: true; checked: string | undefined } | { ok: false; language: string; report: string };

export interface SyntaxService {
  /** undefined when no grammar covers the file. */
  analyze(filePath: string, text: string): Promise<Analysis | undefined>;
  /** Checks an edit from `before` to `after`; `enabled` decides per language id. */
  guard(filePath: string, before: string, after: string, enabled: (languageId: string) => boolean): Promise<GuardResult>;
}

export function createSyntaxService(options: SyntaxRuntimeOptions): SyntaxService {
  const runtime = createSyntaxRuntime(options);
  const service: SyntaxService = {
    async analyze(filePath, text) {
      const spec = languageForPath(filePath);
      if (!spec) return undefined;
      const loaded = await runtime.load(spec);
      const tree = runtime.parse(loaded, text);
      try {
        return { language: spec, symbols: symbolsOf(tree, loaded), problems: syntaxProblems(tree) };
      } finally {
        tree.delete();
      }
    },
    async guard(filePath, before, after, enabled) {
      if (isMarkdownPath(filePath)) {
        if (!enabled("markdown")) return { ok: true, checked: undefined };
        const verdict = guardMarkdown(before, after);
        return verdict.ok ? { ok: true, checked: "markdown" } : { ok: false, language: "Markdown", report: verdict.report };
      }
      const spec = languageForPath(filePath);
      if (!spec || !enabled(spec.id)) return { ok: true, checked: undefined };
      const old = await service.analyze(filePath, before);
      const next = await service.analyze(filePath, after);
      if (!old || !next) return { ok: true, checked: undefined };
      const verdict = compareProblems(old.problems, next.problems);
      if (verdict.ok) return { ok: true, checked: spec.id };
      const known = new Set(old.problems.map((p) => `${p.kind}:${p.description}`));
      const fresh = next.problems.find((p) => !known.has(`${p.kind}:${p.description}`)) ?? next.problems[0]!;
      return { ok: false, language: spec.id, report: problemInContext(after, fresh, next.symbols) };
    },
  };
  return service;
}

// The guard's comparison of ERROR and MISSING nodes.
export interface SyntaxProblem {
  /** "ERROR" for text the grammar could not place, "MISSING" for a token it had to invent. */
  readonly kind: "ERROR" | "MISSING";
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly description: string;
}

export function syntaxProblems(tree: Tree, limit = 50): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (problems.length >= limit) return;
    if (node.isMissing) {
      problems.push({ kind: "MISSING", line: node.startPosition.row + 1, column: node.startPosition.column + 1, description: `missing ${node.type}` });
      return;
    }
    if (node.isError) {
      const text = node.text.split(/\r?\n/)[0]?.slice(0, 40) ?? "";
      problems.push({ kind: "ERROR", line: node.startPosition.row + 1, column: node.startPosition.column + 1, description: `unexpected ${JSON.stringify(text)}` });
    }
    if (!node.hasError && !node.isError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}

export interface GuardVerdict {
  readonly ok: boolean;
  readonly before: number;
  readonly after: number;
  readonly problems: readonly SyntaxProblem[];
}

export function compareProblems(before: readonly SyntaxProblem[], after: readonly SyntaxProblem[]): GuardVerdict {
  return { ok: after.length <= before.length, before: before.length, after: after.length, problems: after };
}

/** The first new problem shown inside its enclosing function or block, with numbered lines. */
export function problemInContext(text: string, problem: SyntaxProblem, symbols: readonly OutlineSymbol[], maxLines = 30): string {
  const lines = splitText(text).lines;
  const enclosing = enclosingSymbols(symbols, problem.line).pop();
  let first = enclosing ? enclosing.startLine : problem.line - 5;
  let last = enclosing ? enclosing.endLine : problem.line + 5;
  if (last - first + 1 > maxLines) {
    first = Math.max(first, problem.line - Math.floor(maxLines / 2));
    last = first + maxLines - 1;
  }
  first = Math.max(1, first);
  last = Math.min(lines.length, Math.max(last, problem.line));
  const where = enclosing ? ` in ${enclosing.kind} ${enclosing.name} (lines ${enclosing.startLine}-${enclosing.endLine})` : "";
  return `line ${problem.line}, column ${problem.column}: ${problem.description}${where}\n${numberLines(lines, { start: first, end: last })}`;
}
