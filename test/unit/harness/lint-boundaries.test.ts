// The layer boundaries are lint rules; these checks make sure the rules really fire (and do not fire
// on allowed imports), by linting small sources as if they lived in each layer.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer boundaries", () => {
  const cases: [string, string, boolean][] = [
    ["webview/probe.ts", 'import * as vscode from "vscode";\nexport const x = vscode;', true],
    ["webview/probe.ts", 'import { x } from "../native/protocol";\nexport const y = x;', true],
    ["webview/probe.ts", 'import { x } from "./protocol";\nexport const y = x;', false],
    ["native/probe.ts", 'import * as vscode from "vscode";\nexport const x = vscode;', true],
    ["native/probe.ts", 'import { x } from "../webview/protocol";\nexport const y = x;', true],
    ["extension/core/probe.ts", 'import * as vscode from "vscode";\nexport const x = vscode;', true],
    ["extension/core/probe.ts", 'import { x } from "../host/log";\nexport const y = x;', true],
    ["extension/host/probe.ts", 'import * as vscode from "vscode";\nexport const x = vscode;', false],
    // native/ is its own program: it shares only native/protocol.ts with the extension.
    ["native/engine/probe.ts", 'import { errorMessage } from "../../extension/core/errorMessage";\nexport const y = errorMessage;', true],
    ["native/engine/probe.ts", 'import type { ModelInfo } from "../protocol";\nexport type Y = ModelInfo;', false],
    // The core reaches a model only through its ModelStream interface, and knows nothing of the panel.
    ["extension/core/agent/probe.ts", 'import { loadModel } from "../../../native/engine/index";\nexport const y = loadModel;', true],
    ["extension/core/agent/probe.ts", 'import { reducePanel } from "../../../webview/protocol";\nexport const y = reducePanel;', true],
    ["extension/core/agent/probe.ts", 'import type { ModelStream } from "./modelStream";\nexport type Y = ModelStream;', false],
    // The host speaks the panel's protocol, never runs its browser code.
    ["extension/host/panel/probe.ts", 'import { renderTimeline } from "../../../webview/timeline";\nexport const y = renderTimeline;', true],
    ["extension/host/panel/probe.ts", 'import { reducePanel } from "../../../webview/protocol";\nexport const y = reducePanel;', false],
    ["extension/main.ts", 'import { x } from "../webview/main";\nexport const y = x;', true],
  ];
  for (const [file, source, forbidden] of cases) {
    it(`${forbidden ? "forbids" : "allows"} ${source.split("\n")[0]} in ${file.split("/").slice(0, -1).join("/")}/`, async () => {
      const messages = await restrictedImports(file, source);
      assert.equal(messages.length > 0, forbidden, messages.join("; "));
    });
  }
});
