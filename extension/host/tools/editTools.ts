// The tools that change text: replace_range, replace_symbol, insert_lines. Each computes the new
// text from the current one (core/tools/text.ts) and hands it to editFile, which guards and applies.
import { findSymbol, qualifiedName } from "../../core/syntax/outline";
import type { ToolImplementation } from "../../core/tools/registry";
import { bodyLines, guardMatches, replaceLines, splitText } from "../../core/tools/text";
import type { ComputedEdit, EditEnvironment } from "./editing";
import { editFile } from "./editing";
import { requireTool as definition } from "../../core/tools/definitions";

export function editTools(env: EditEnvironment): ToolImplementation[] {
  return [
    {
      definition: definition("replace_range"),
      run(call) {
        const start = Number(call.args.start);
        const end = Number(call.args.end);
        return editFile(env, String(call.args.path), (text) => {
          if (end < start) return { ok: false, error: `end (${end}) is before start (${start}); to insert lines use insert_lines` };
          const lines = splitText(text).lines;
          if (start > lines.length) return { ok: false, error: `line ${start} is past the end: the file has ${lines.length} lines` };
          if (end > lines.length) return { ok: false, error: `line ${end} is past the end: the file has ${lines.length} lines` };
          const stale = staleGuard(lines, start, String(call.args.start_text), "start") ?? staleGuard(lines, end, String(call.args.end_text), "end");
          if (stale) return { ok: false, error: stale };
          const replacement = bodyLines(call.body);
          return described(replaceLines(text, start, end, replacement), `replaced lines ${start}-${end} with ${replacement.length} line${replacement.length === 1 ? "" : "s"}`);
        });
      },
    },
    {
      definition: definition("insert_lines"),
      run(call) {
        const after = Number(call.args.after);
        return editFile(env, String(call.args.path), (text) => {
          const count = splitText(text).lines.length;
          if (after > count) return { ok: false, error: `line ${after} is past the end: the file has ${count} lines (use after=${count} to append)` };
          const lines = bodyLines(call.body);
          return described(replaceLines(text, after + 1, after, lines), `inserted ${lines.length} line${lines.length === 1 ? "" : "s"} after line ${after}`);
        });
      },
    },
    {
      definition: definition("replace_symbol"),
      run(call) {
        const wanted = String(call.args.symbol);
        const path = String(call.args.path);
        return editFile(env, path, async (text) => {
          const analysis = await env.syntax.analyze(path, text);
          if (!analysis) return { ok: false, error: `replace_symbol needs a language with a grammar; ${path} has none. Use replace_range` };
          const matches = findSymbol(analysis.symbols, wanted);
          if (matches.length === 0) {
            const known = analysis.symbols.slice(0, 30).map(qualifiedName).join(", ");
            return { ok: false, error: `there is no symbol "${wanted}" in ${path}; its symbols are: ${known || "(none)"}` };
          }
          if (matches.length > 1) {
            const where = matches.map((m) => `${qualifiedName(m)} (lines ${m.startLine}-${m.endLine})`).join(", ");
            return { ok: false, error: `"${wanted}" names ${matches.length} symbols: ${where}; name one with its class (Class.method) or use replace_range` };
          }
          const symbol = matches[0]!;
          return described(replaceLines(text, symbol.startLine, symbol.endLine, bodyLines(call.body)), `replaced ${symbol.kind} ${qualifiedName(symbol)} (was lines ${symbol.startLine}-${symbol.endLine})`);
        });
      },
    },
  ];
}

function staleGuard(lines: readonly string[], line: number, guard: string, which: "start" | "end"): string | undefined {
  const current = lines[line - 1] ?? "";
  if (guardMatches(current, guard)) return undefined;
  const found = lines.findIndex((l) => guard.trim() !== "" && guardMatches(l, guard));
  const hint = found >= 0 ? ` (that text is on line ${found + 1}; the line numbers may be stale)` : "";
  return `${which}_text does not match line ${line}: it reads ${JSON.stringify(current.trim().slice(0, 80))}, not ${JSON.stringify(guard.trim())}${hint}; open_range the lines again`;
}

function described(result: ReturnType<typeof replaceLines>, what: string): ComputedEdit {
  return result.ok ? { ...result, what } : result;
}
