// Test helper: the tiny generated models, written once into .cache/models/ of the repository.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeTinyModel, type TinyArchitecture } from "../../models/tinyModel";

// Bundled tests run from dist-test/unit/<area>/; the repository root is three levels up.
export const REPO_ROOT = process.env.ITU_REPO_ROOT ?? fileURLToPath(new URL("../../../", import.meta.url));
export const MODELS_DIR = join(REPO_ROOT, ".cache", "models");

export async function tinyModel(arch: TinyArchitecture, seed = 1, extra: { dModel?: number; layers?: number; chatTemplate?: string } = {}): Promise<string> {
  const suffix = extra.dModel || extra.layers || extra.chatTemplate ? `-d${extra.dModel ?? 128}-l${extra.layers ?? 2}${extra.chatTemplate ? "-tpl" : ""}` : "";
  const path = join(MODELS_DIR, `test-${arch}-s${seed}${suffix}.gguf`);
  if (!existsSync(path)) await writeTinyModel({ arch, seed, path, ...extra });
  return path;
}
