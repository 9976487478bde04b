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
  // The model host is a plain Node process.
  { files: ["native/**/*.ts"], rules: restrict([{ group: ["**/webview/**", "**/extension/host/**", "**/extension/main"], message: "native/ must not depend on the webview or the extension host." }]) },
  // The core (agent loop, tools registry, prompt formats, trace, sessions) is editor-independent.
  { files: ["extension/core/**/*.ts", "extension/cli/**/*.ts"], rules: restrict([{ group: ["**/host/**", "**/webview/main*"], message: "The core must not depend on VS Code adapters." }]) },
);
