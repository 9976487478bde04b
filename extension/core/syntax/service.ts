// The syntax service the tools use: outline a file's text, and guard an edit. Files of languages
// without a grammar get no outline and no guard (never an error).
import { compareProblems, problemInContext, syntaxProblems, type SyntaxProblem } from "./guard";
import { languageForPath, type LanguageSpec } from "./languages";
import { guardMarkdown } from "./markdownGuard";
import { isMarkdownPath } from "../tools/prose/markdown";
import type { OutlineSymbol } from "./outline";
import { symbolsOf } from "./outline";
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
