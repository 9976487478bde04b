// The syntax guard: an edit may not add ERROR or MISSING nodes to a file. Comparing counts before
// and after (rather than demanding a clean parse) lets the model edit files that were already
// broken, or that the grammar does not fully support, without being blocked by old problems.
import type { Node, Tree } from "web-tree-sitter";
import { numberLines, splitText } from "../tools/text";
import type { OutlineSymbol } from "./outline";
import { enclosingSymbols } from "./outline";

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
