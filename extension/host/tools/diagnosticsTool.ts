// read_diagnostics: what the language servers report, once they have settled. Problems that were
// there when the session began (its baseline) are listed after the new ones; errors come first.
import * as path from "node:path";
import * as vscode from "vscode";
import { requireTool as definition } from "../../core/tools/definitions";
import type { ToolImplementation } from "../../core/tools/registry";
import { failure } from "../../core/tools/registry";
import { isTypeScriptFamily, typeScriptDiagnostics } from "./tsDiagnostics";
import { exists, resolvePath } from "./workspaceFiles";

export const diagnosticsCap = 50;
/** Language servers answer an edit within a few seconds; a file with no change may never fire. */
const settleMaxMs = 8000;
const quietMs = 1500;

export interface DiagnosticsTracker extends vscode.Disposable {
  noteEdit(uri: vscode.Uri): void;
  tool(root: string): ToolImplementation;
}

type Entry = { uri: vscode.Uri; diagnostic: vscode.Diagnostic; isNew: boolean };

export function createDiagnosticsTracker(): DiagnosticsTracker {
  const baseline = new Set(vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.map((d) => keyOf(uri, d))));
  const lastEdit = new Map<string, number>();
  const lastChange = new Map<string, number>();
  const tsBaselined = new Set<string>();
  let lastAnyChange = Date.now();
  const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
    lastAnyChange = Date.now();
    for (const uri of e.uris) lastChange.set(uri.toString(), lastAnyChange);
  });

  /** TypeScript files are asked of the TS server; the problems of one the agent has not edited yet join the baseline. */
  async function typeScriptEntries(uri: vscode.Uri): Promise<Entry[] | undefined> {
    const document = await vscode.workspace.openTextDocument(uri).then(
      (d) => d,
      () => undefined,
    );
    if (!document || !isTypeScriptFamily(document)) return undefined;
    const diagnostics = await typeScriptDiagnostics(document);
    if (!diagnostics) return undefined;
    const key = uri.toString();
    if (!lastEdit.has(key) && !tsBaselined.has(key)) for (const d of diagnostics) baseline.add(keyOf(uri, d));
    tsBaselined.add(key);
    return diagnostics.map((diagnostic) => ({ uri, diagnostic, isNew: !baseline.has(keyOf(uri, diagnostic)) }));
  }

  async function settle(uris: readonly vscode.Uri[]): Promise<void> {
    const started = Date.now();
    const waiting = () => uris.some((u) => (lastEdit.get(u.toString()) ?? 0) > (lastChange.get(u.toString()) ?? 0));
    while (Date.now() - started < settleMaxMs && (waiting() || Date.now() - lastAnyChange < quietMs)) await delay(100);
  }

  return {
    noteEdit(uri) {
      lastEdit.set(uri.toString(), Date.now());
    },
    tool(root) {
      return {
        definition: definition("read_diagnostics"),
        async run(call) {
          let scope: vscode.Uri[];
          if (call.args.path !== undefined) {
            const file = await resolvePath(root, String(call.args.path));
            if (!file.ok) return failure(file.error);
            if (!(await exists(file.absolute))) return failure(`${file.relative} does not exist; leave out the path for the whole workspace`);
            scope = [file.uri];
          } else {
            scope = [...lastEdit.keys()].map((u) => vscode.Uri.parse(u));
          }
          const entries: Entry[] = [];
          const answered = new Set<string>();
          for (const uri of scope) {
            const fromTs = await typeScriptEntries(uri);
            if (!fromTs) continue;
            entries.push(...fromTs);
            answered.add(uri.toString());
          }
          // Language servers such as TypeScript's only check files that are open as documents:
          // typeScriptEntries has opened every file in scope already.
          const others = scope.filter((u) => !answered.has(u.toString()));
          await settle(others);
          const published = call.args.path !== undefined ? scope.map((u) => [u, vscode.languages.getDiagnostics(u)] as const) : vscode.languages.getDiagnostics();
          for (const [uri, list] of published) {
            if (!isInside(root, uri)) continue;
            const skipTs = answered.has(uri.toString());
            for (const diagnostic of list) if (!(skipTs && diagnostic.source === "ts")) entries.push({ uri, diagnostic, isNew: !baseline.has(keyOf(uri, diagnostic)) });
          }
          return { ok: true, text: formatEntries(root, entries), summary: `${entries.length} problem${entries.length === 1 ? "" : "s"}` };
        },
      };
    },
    dispose() {
      subscription.dispose();
    },
  };
}

function keyOf(uri: vscode.Uri, d: vscode.Diagnostic): string {
  return `${uri.toString()}|${d.severity}|${d.source ?? ""}|${codeOf(d)}|${d.message}`;
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : d.code === undefined ? "" : String(d.code);
}

function isInside(root: string, uri: vscode.Uri): boolean {
  return uri.scheme === "file" && !path.relative(root, uri.fsPath).startsWith("..");
}

const severityNames = ["error", "warning", "info", "hint"];

function formatEntries(root: string, entries: Entry[]): string {
  if (entries.length === 0) return "No problems reported.";
  entries.sort((a, b) => Number(b.isNew) - Number(a.isNew) || a.diagnostic.severity - b.diagnostic.severity || a.uri.fsPath.localeCompare(b.uri.fsPath) || a.diagnostic.range.start.line - b.diagnostic.range.start.line);
  const fresh = entries.filter((e) => e.isNew).length;
  const errors = entries.filter((e) => e.diagnostic.severity === vscode.DiagnosticSeverity.Error).length;
  const lines = entries.slice(0, diagnosticsCap).map((e) => formatEntry(root, e));
  const more = entries.length > diagnosticsCap ? `\n(${entries.length - diagnosticsCap} more not shown)` : "";
  return `${entries.length} problem${entries.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}); ${fresh} new since the session began:\n${lines.join("\n")}${more}`;
}

function formatEntry(root: string, { uri, diagnostic, isNew }: Entry): string {
  const relative = path.relative(root, uri.fsPath).split(path.sep).join("/");
  const { line, character } = diagnostic.range.start;
  const code = codeOf(diagnostic);
  const source = diagnostic.source ? ` ${diagnostic.source}${code ? ` ${code}` : ""}` : code ? ` ${code}` : "";
  return `${isNew ? "new" : "old"} ${relative}:${line + 1}:${character + 1} ${severityNames[diagnostic.severity]}${source}: ${diagnostic.message.split("\n")[0]}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
