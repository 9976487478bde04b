// Lint, with the project's layer boundaries as import rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const noVscode = { name: "vscode", message: "This layer must stay independent of the VS Code API." };
const restrict = (patterns, paths = [noVscode]) => ({
  "no-restricted-imports": ["error", { paths, patterns }],
});

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "dist-test/", ".cache/", "test/fixtures/", "**/*.mjs", "grammars/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The webview runs in a browser sandbox: no editor API, no model host.
  { files: ["webview/**/*.ts"], rules: restrict([{ group: ["**/native/**", "**/extension/**"], message: "webview/ talks to the extension only through webview/protocol.ts." }]) },
  // The model host is its own plain Node program: it shares only native/protocol.ts with the extension.
  { files: ["native/**/*.ts"], rules: restrict([{ group: ["**/webview/**", "**/extension/**"], message: "native/ must not depend on the webview or the extension." }]) },
  // The core (agent loop, tools registry, prompt formats, trace, sessions) is editor-independent and
  // talks to a model only through its ModelStream interface, never to the engine or the panel.
  {
    files: ["extension/core/**/*.ts"],
    rules: restrict([
      { group: ["**/host/**", "**/extension/main*"], message: "The core must not depend on VS Code adapters." },
      { group: ["**/native/engine/**", "**/native/main*"], message: "The core talks to a model through its ModelStream interface (core/agent/modelStream.ts), not to the engine." },
      { group: ["**/webview/**"], message: "The core knows nothing of the panel: the host maps the core's StepView onto it." },
    ]),
  },
  { files: ["extension/cli/**/*.ts"], rules: restrict([{ group: ["**/host/**", "**/webview/**"], message: "The command line is built on the core and the engine, not on VS Code adapters or the panel." }]) },
  // The host may speak the panel's protocol, never run its browser code.
  { files: ["extension/host/**/*.ts", "extension/main.ts"], rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/webview/**", "!**/webview/protocol"], message: "The host talks to the panel only through webview/protocol.ts." }] }] } },
);
