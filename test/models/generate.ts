// Dev tool: `node dist-test/tools/generate-models.mjs <outDir> [--seed N]` writes one tiny model per
// architecture (<outDir>/tiny-<arch>.gguf), skipping files that already exist.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ALL_ARCHITECTURES, writeTinyModel } from "./tinyModel";

export { ALL_ARCHITECTURES, hasAttention, HYBRID_ARCHITECTURES, TINY_ARCHITECTURES, writeTinyModel, type TinyArchitecture, type TinyModelOptions } from "./tinyModel";
export { familiesDir, MODEL_FAMILIES, readTemplate, type ModelFamily } from "./families";

/** The file name generateAll() uses for an architecture. */
export function tinyModelFileName(arch: string): string {
  return `tiny-${arch}.gguf`;
}

/** Writes the missing tiny models into outDir; returns every model path. */
export async function generateAll(outDir: string, seed = 1): Promise<string[]> {
  const paths: string[] = [];
  for (const arch of ALL_ARCHITECTURES) {
    const path = join(outDir, tinyModelFileName(arch));
    if (!existsSync(path)) await writeTinyModel({ arch, seed, path });
    paths.push(path);
  }
  return paths;
}

async function main(argv: string[]): Promise<void> {
  const outDir = argv[0];
  if (!outDir || outDir.startsWith("-")) {
    console.error("usage: generate-models <outDir> [--seed N]");
    process.exitCode = 2;
    return;
  }
  const seedIndex = argv.indexOf("--seed");
  const seed = seedIndex >= 0 ? Number(argv[seedIndex + 1]) : 1;
  if (!Number.isInteger(seed)) throw new Error("--seed needs an integer");
  for (const path of await generateAll(resolve(outDir), seed)) console.log(path);
}

// Runs only as the built tool itself, not when another bundle imports this module.
const entry = process.argv[1];
if (import.meta.url.endsWith("/generate-models.mjs") && entry && pathToFileURL(resolve(entry)).href === import.meta.url) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
