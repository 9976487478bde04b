// Which tree-sitter grammar parses which file. The wasm files and tags queries live in the
// extension's grammars/ folder (see grammars/README.md); this table is the one resolver for both.

export interface LanguageSpec {
  /** VS Code's language id where one exists; also the name used by the syntax guard setting. */
  readonly id: string;
  readonly wasm: string;
  /** Tags query file, or undefined for languages without symbols (JSON, CSS). */
  readonly tags?: string;
  readonly extensions: readonly string[];
}

export const languages: readonly LanguageSpec[] = [
  { id: "typescript", wasm: "tree-sitter-typescript.wasm", tags: "typescript-tags.scm", extensions: [".ts", ".mts", ".cts"] },
  { id: "typescriptreact", wasm: "tree-sitter-tsx.wasm", tags: "tsx-tags.scm", extensions: [".tsx"] },
  { id: "javascript", wasm: "tree-sitter-javascript.wasm", tags: "javascript-tags.scm", extensions: [".js", ".mjs", ".cjs", ".jsx"] },
  { id: "python", wasm: "tree-sitter-python.wasm", tags: "python-tags.scm", extensions: [".py", ".pyi"] },
  { id: "rust", wasm: "tree-sitter-rust.wasm", tags: "rust-tags.scm", extensions: [".rs"] },
  { id: "go", wasm: "tree-sitter-go.wasm", tags: "go-tags.scm", extensions: [".go"] },
  { id: "java", wasm: "tree-sitter-java.wasm", tags: "java-tags.scm", extensions: [".java"] },
  { id: "c", wasm: "tree-sitter-c.wasm", tags: "c-tags.scm", extensions: [".c", ".h"] },
  { id: "cpp", wasm: "tree-sitter-cpp.wasm", tags: "cpp-tags.scm", extensions: [".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx"] },
  { id: "csharp", wasm: "tree-sitter-c-sharp.wasm", tags: "c_sharp-tags.scm", extensions: [".cs"] },
  { id: "ruby", wasm: "tree-sitter-ruby.wasm", tags: "ruby-tags.scm", extensions: [".rb"] },
  { id: "php", wasm: "tree-sitter-php.wasm", tags: "php-tags.scm", extensions: [".php"] },
  { id: "shellscript", wasm: "tree-sitter-bash.wasm", tags: "bash-tags.scm", extensions: [".sh", ".bash"] },
  { id: "css", wasm: "tree-sitter-css.wasm", extensions: [".css"] },
  { id: "json", wasm: "tree-sitter-json.wasm", extensions: [".json"] },
];

export function languageForPath(filePath: string): LanguageSpec | undefined {
  const lower = filePath.toLowerCase();
  return languages.find((l) => l.extensions.some((e) => lower.endsWith(e)));
}
