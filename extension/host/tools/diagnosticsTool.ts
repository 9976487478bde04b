// read_diagnostics: what the language servers report, once they have settled. Problems that were
// there when the session began (its baseline) are listed after the new ones; errors come first.
import * as path from "node:path";
import * as vscode from "vscode";
import { requireTool as definition } from "../../core/tools/definitions";
import type { ToolImplementation } from "../../core/tools/registry";
import { failure } from "../../core/tools/registry";
import { resolvePath } from "./workspaceFiles";

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
  let lastAnyChange = Date.now();
  const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
    lastAnyChange = Date.now();
    for (const uri of e.uris) lastChange.set(uri.toString(), lastAnyChange);
  });

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
          let uris: vscode.Uri[];
          if (call.args.path !== undefined) {
            const file = await resolvePath(root, String(call.args.path));
            if (!file.ok) return failure(file.error);
            // Language servers such as TypeScript's only check files that are open as documents.
            if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === file.uri.toString())) {
              await vscode.workspace.openTextDocument(file.uri).then(undefined, () => undefined);
              lastEdit.set(file.uri.toString(), Date.now());
            }
            uris = [file.uri];
          } else {
            uris = [...lastEdit.keys()].map((u) => vscode.Uri.parse(u));
          }
          await settle(uris);
          const entries: Entry[] = (call.args.path !== undefined ? uris.map((u) => [u, vscode.languages.getDiagnostics(u)] as const) : vscode.languages.getDiagnostics())
            .filter(([uri]) => isInside(root, uri))
            .flatMap(([uri, list]) => list.map((diagnostic) => ({ uri, diagnostic, isNew: !baseline.has(keyOf(uri, diagnostic)) })));
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
