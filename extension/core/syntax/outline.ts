// Outlines: the definitions a tags query finds, nested by range, as `kind name (first-last)`.
// A pipeline of small stages (parse -> tags -> nest -> fit to budget), as in Aider's repo map.
import type { Node, Tree } from "web-tree-sitter";
import type { LoadedLanguage } from "./parser";

export interface OutlineSymbol {
  readonly name: string;
  /** function, class, method, interface, type, enum, module, impl, macro. */
  readonly kind: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** Names of the enclosing symbols, outermost first. */
  readonly parents: readonly string[];
}

export function symbolsOf(tree: Tree, language: LoadedLanguage): OutlineSymbol[] {
  if (!language.tags) return [];
  const raw: { name: string; kind: string; node: Node }[] = [];
  for (const match of language.tags.matches(tree.rootNode)) {
    const name = match.captures.find((c) => c.name === "name")?.node.text;
    const definition = match.captures.find((c) => c.name.startsWith("definition."));
    if (name && definition) raw.push({ name, kind: definition.name.slice("definition.".length), node: definition.node });
  }
  raw.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
  const symbols: OutlineSymbol[] = [];
  const open: { name: string; end: number }[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const key = `${r.node.startIndex}:${r.node.endIndex}:${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    while (open.length && open[open.length - 1]!.end <= r.node.startIndex) open.pop();
    symbols.push({ name: r.name, kind: r.kind, startLine: r.node.startPosition.row + 1, endLine: endLineOf(r.node), parents: open.map((o) => o.name) });
    open.push({ name: r.name, end: r.node.endIndex });
  }
  return symbols;
}

/** A node ending at column 0 ends on the previous line (its text stops at a line break). */
function endLineOf(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

export function qualifiedName(symbol: OutlineSymbol): string {
  return [...symbol.parents, symbol.name].join(".");
}

export function formatSymbols(symbols: readonly OutlineSymbol[]): string[] {
  return symbols.map((s) => `${"  ".repeat(s.parents.length)}${s.kind} ${s.name} (${s.startLine}-${s.endLine})`);
}

/** Symbols whose range contains the line, outermost first. */
export function enclosingSymbols(symbols: readonly OutlineSymbol[], line: number): OutlineSymbol[] {
  return symbols.filter((s) => s.startLine <= line && line <= s.endLine);
}

/** Symbols that overlap or enclose lines first..last. */
export function symbolsAround(symbols: readonly OutlineSymbol[], first: number, last: number): OutlineSymbol[] {
  return symbols.filter((s) => s.startLine <= last && s.endLine >= first);
}

/** Finds `name` or `Outer.name`; several matches are reported rather than guessed. */
export function findSymbol(symbols: readonly OutlineSymbol[], wanted: string): OutlineSymbol[] {
  const parts = wanted.split(".").filter((p) => p !== "");
  const name = parts[parts.length - 1];
  const qualifiers = parts.slice(0, -1);
  return symbols.filter((s) => {
    if (s.name !== name) return false;
    if (qualifiers.length === 0) return true;
    return s.parents.slice(-qualifiers.length).join(".") === qualifiers.join(".");
  });
}
