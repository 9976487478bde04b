// TypeScript's language service only publishes diagnostics for files that have an editor tab
// (unless the experimental project-wide diagnostics setting is on), and the agent never opens tabs.
// So for TypeScript and JavaScript files the diagnostics are asked of the TypeScript server
// directly, through the command the built-in extension offers other extensions for this purpose.
// The answer reflects the current text at once: no waiting for the server to settle.
import * as vscode from "vscode";

const tsLanguages = new Set(["typescript", "typescriptreact", "javascript", "javascriptreact"]);

interface TsDiagnostic {
  start: { line: number; offset: number };
  end: { line: number; offset: number };
  text: string;
  code?: number;
  category: string;
}

export function isTypeScriptFamily(document: vscode.TextDocument): boolean {
  return tsLanguages.has(document.languageId);
}

/** The file's syntactic and semantic diagnostics, or undefined if the TypeScript server did not answer. */
export async function typeScriptDiagnostics(document: vscode.TextDocument, waitMs = 60_000): Promise<vscode.Diagnostic[] | undefined> {
  const started = Date.now();
  for (;;) {
    try {
      const syntactic = await request("syntacticDiagnosticsSync", document.uri);
      const semantic = await request("semanticDiagnosticsSync", document.uri);
      if (syntactic && semantic) return [...syntactic, ...semantic].map(toDiagnostic);
    } catch {
      // The extension is still activating (command not found) or the server is starting.
    }
    if (Date.now() - started > waitMs) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function request(command: string, file: vscode.Uri): Promise<TsDiagnostic[] | undefined> {
  const response = await vscode.commands.executeCommand<{ body?: TsDiagnostic[] } | undefined>("typescript.tsserverRequest", command, { file, includeLinePosition: false });
  return Array.isArray(response?.body) ? response.body : undefined;
}

function toDiagnostic(d: TsDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.start.line - 1, d.start.offset - 1, d.end.line - 1, d.end.offset - 1);
  const severity = d.category === "error" ? vscode.DiagnosticSeverity.Error : d.category === "warning" ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, d.text, severity);
  diagnostic.source = "ts";
  if (d.code !== undefined) diagnostic.code = d.code;
  return diagnostic;
}
