// `npm run package [-- --target linux-x64] [-- --cuda]`: a production build, then a VSIX through
// @vscode/vsce. A VSIX for a target carries that platform's node-llama-cpp binaries and no others
// (CUDA builds only with --cuda: they add ~500 MB). Without --target, the binaries for the machine
// that packages are kept.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { arch, platform } from "node:os";

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const target = option("--target") ?? `${platform() === "win32" ? "win32" : platform()}-${arch()}`;
const cuda = argv.includes("--cuda");
const out = option("--out") ?? `dist/infinite-tool-use-${target}.vsix`;

// vsce targets (linux-x64, darwin-arm64, win32-x64, ...) -> node-llama-cpp package name prefixes.
const binaryPrefix = target.replace(/^darwin-/, "mac-").replace(/^win32-/, "win-").replace(/^alpine-/, "linux-");
const keep = (name) => {
  if (!name.startsWith(binaryPrefix)) return false;
  const variant = name.slice(binaryPrefix.length);
  if (variant === "" || variant === "-vulkan" || variant === "-metal") return true;
  return cuda && variant.startsWith("-cuda");
};

const installed = readdirSync("node_modules/@node-llama-cpp");
const excluded = installed.filter((name) => !keep(name));
const kept = installed.filter(keep);
if (kept.length === 0) console.warn(`warning: no node-llama-cpp binaries for ${target} are installed; the VSIX will not run models`);
const ignore = readFileSync(".vscodeignore", "utf8") + excluded.map((n) => `node_modules/@node-llama-cpp/${n}/**\n`).join("");
mkdirSync(".cache", { recursive: true });
writeFileSync(".cache/vscodeignore-package", ignore);

execFileSync(process.execPath, ["build.mjs", "--production"], { stdio: "inherit" });
execFileSync(process.execPath, ["node_modules/@vscode/vsce/vsce", "package", "--target", target, "--ignoreFile", ".cache/vscodeignore-package", "--out", out, "--allow-missing-repository", "--skip-license", "--no-rewrite-relative-links"], { stdio: "inherit" });
// Put the development bundles (source maps, test entries) back for whoever runs the tests next.
if (!argv.includes("--keep-production")) execFileSync(process.execPath, ["build.mjs"], { stdio: "inherit" });
console.log(`packaged ${out} (node-llama-cpp binaries: ${kept.join(", ") || "none"})`);
