// Loads web-tree-sitter and the grammars from the extension's own folder (never from
// node_modules at run time: the VSIX ships grammars/ and dist/ only). Loaded on first use so
// activation stays cheap; each grammar and query is loaded once.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { Language, Parser, Query, Tree } from "web-tree-sitter";
import type { LanguageSpec } from "./languages";

export interface SyntaxRuntimeOptions {
  /** Folder holding the grammar wasm files and tags queries. */
  readonly grammarsDir: string;
  /** Path of web-tree-sitter's own wasm runtime. */
  readonly runtimeWasm: string;
}

export interface LoadedLanguage {
  readonly spec: LanguageSpec;
  readonly language: Language;
  readonly tags?: Query;
}

export interface SyntaxRuntime {
  load(spec: LanguageSpec): Promise<LoadedLanguage>;
  parse(loaded: LoadedLanguage, text: string): Tree;
}

type TreeSitterModule = typeof import("web-tree-sitter");

export function createSyntaxRuntime(options: SyntaxRuntimeOptions): SyntaxRuntime {
  let module: Promise<TreeSitterModule> | undefined;
  let ready: TreeSitterModule | undefined;
  let parser: Parser | undefined;
  const loaded = new Map<string, Promise<LoadedLanguage>>();

  async function treeSitter(): Promise<TreeSitterModule> {
    module ??= (async () => {
      const ts = await import("web-tree-sitter");
      await ts.Parser.init({ locateFile: () => options.runtimeWasm });
      ready = ts;
      return ts;
    })();
    return module;
  }

  async function loadLanguage(spec: LanguageSpec): Promise<LoadedLanguage> {
    const ts = await treeSitter();
    const language = await ts.Language.load(new Uint8Array(await readFile(path.join(options.grammarsDir, spec.wasm))));
    const tags = spec.tags ? new ts.Query(language, await readFile(path.join(options.grammarsDir, spec.tags), "utf8")) : undefined;
    return tags ? { spec, language, tags } : { spec, language };
  }

  return {
    load(spec) {
      let entry = loaded.get(spec.id);
      if (!entry) {
        entry = loadLanguage(spec);
        // A failed load is retried on the next call rather than cached.
        entry.catch(() => loaded.delete(spec.id));
        loaded.set(spec.id, entry);
      }
      return entry;
    },
    parse(language, text) {
      if (!ready) throw new Error("tree-sitter is not loaded: call load() first");
      parser ??= new ready.Parser();
      parser.setLanguage(language.language);
      const tree = parser.parse(text);
      if (!tree) throw new Error(`tree-sitter could not parse the ${language.spec.id} text`);
      return tree;
    },
  };
}
