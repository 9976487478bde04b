// Builds every bundle with esbuild. `--watch` rebuilds on change; `--production` minifies and drops
// source maps (used for the VSIX).
import * as esbuild from "esbuild";
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

// ESM bundles may contain CommonJS dependencies that call require(): give them one.
const esmRequireBanner = {
  js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};
// Native addons, wasm-loading packages and the editor API are never bundled.
const nodeExternals = ["vscode", "eslint", "node-llama-cpp", "web-tree-sitter", "mocha", "playwright-core", "@vscode/test-electron"];

const common = {
  bundle: true,
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  target: "node20",
};

function testEntries(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.test\.ts$/.test(f))
    .map((f) => join(dir, f));
}

const targets = [
  { ...common, entryPoints: { extension: "extension/main.ts", headless: "extension/host/headless.ts" }, outdir: "dist", platform: "node", format: "cjs", external: nodeExternals },
  { ...common, entryPoints: { webview: "webview/main.ts" }, outdir: "dist", platform: "browser", format: "iife", target: "es2022" },
  { ...common, entryPoints: { "model-host": "native/main.ts" }, outdir: "dist", outExtension: { ".js": ".mjs" }, platform: "node", format: "esm", external: nodeExternals, banner: esmRequireBanner },
  { ...common, entryPoints: { cli: "extension/cli/main.ts" }, outdir: "dist", outExtension: { ".js": ".mjs" }, platform: "node", format: "esm", external: nodeExternals, banner: esmRequireBanner },
];

if (!production) {
  const unit = testEntries("test/unit");
  if (unit.length) targets.push({ ...common, entryPoints: unit, outdir: "dist-test/unit", outbase: "test/unit", outExtension: { ".js": ".mjs" }, platform: "node", format: "esm", external: nodeExternals, banner: esmRequireBanner });
  // Integration suites: one folder per group (one VS Code launch on one fixture workspace).
  targets.push({ ...common, entryPoints: ["test/integration/index.ts", ...testEntries("test/integration")], outdir: "dist-test/integration", outbase: "test/integration", platform: "node", format: "cjs", external: nodeExternals });
  targets.push({ ...common, entryPoints: ["test/harness/run-integration.ts", "test/harness/electron-launcher.ts"], outdir: "dist-test/harness", platform: "node", format: "cjs", external: nodeExternals });
  if (existsSync("bench/run.ts")) targets.push({ ...common, entryPoints: { run: "bench/run.ts" }, outdir: "dist-test/bench", outExtension: { ".js": ".mjs" }, platform: "node", format: "esm", external: nodeExternals, banner: esmRequireBanner });
  if (existsSync("test/models/generate.ts")) targets.push({ ...common, entryPoints: { "generate-models": "test/models/generate.ts" }, outdir: "dist-test/tools", outExtension: { ".js": ".mjs" }, platform: "node", format: "esm", external: nodeExternals, banner: esmRequireBanner });
}

// Entries that do not exist yet (a feature not started) are skipped rather than failing the build.
const present = targets.filter((t) =>
  (Array.isArray(t.entryPoints) ? t.entryPoints : Object.values(t.entryPoints)).every((e) => existsSync(e)),
);

function copyAssets() {
  mkdirSync("dist", { recursive: true });
  const wasm = "node_modules/web-tree-sitter/web-tree-sitter.wasm";
  if (existsSync(wasm)) cpSync(wasm, "dist/web-tree-sitter.wasm");
  cpSync("webview/panel.css", "dist/panel.css");
  copyGrammars();
}

// tree-sitter grammars (sources and licences: grammars/README.md). The wasm files are build output
// (gitignored); the tags queries beside them are committed.
function copyGrammars() {
  const vscodeWasm = ["typescript", "tsx", "javascript", "python", "rust", "go", "java", "cpp", "c-sharp", "ruby", "php", "bash", "css"];
  const sources = [
    ...vscodeWasm.map((l) => `node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-${l}.wasm`),
    "node_modules/tree-sitter-c/tree-sitter-c.wasm",
    "node_modules/tree-sitter-json/tree-sitter-json.wasm",
  ];
  mkdirSync("grammars", { recursive: true });
  for (const source of sources) if (existsSync(source)) cpSync(source, join("grammars", source.split("/").pop()));
}

copyAssets();
if (watch) {
  for (const t of present) (await esbuild.context(t)).watch();
  console.log(`watching ${present.length} bundles`);
} else {
  await Promise.all(present.map((t) => esbuild.build(t)));
  console.log(`built ${present.length} bundles${production ? " (production)" : ""}`);
}
