// Benchmark 3: snapshot (saved sequence state) size and save/restore time by session length.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../native/engine/index";
import type { TinyArchitecture } from "../test/models/tinyModel";

export interface SnapshotRow {
  arch: TinyArchitecture;
  tokens: number;
  bytes: number;
  saveMs: number;
  restoreMs: number;
}

export async function benchSnapshots(arch: TinyArchitecture, path: string, lengths: readonly number[], log: (line: string) => void): Promise<SnapshotRow[]> {
  const model = await loadModel({ path, gpu: false, threads: 1 });
  const dir = await mkdtemp(join(tmpdir(), "itu-bench-state-"));
  const rows: SnapshotRow[] = [];
  try {
    const session = await model.createSession({ contextSize: Math.max(...lengths) + 16 });
    const restored = await model.createSession({ contextSize: Math.max(...lengths) + 16 });
    for (const length of lengths) {
      const missing = length - session.tokenCount;
      if (missing > 0) await session.appendTokens(Array.from({ length: missing }, (_, i) => (i * 31) % 250));
      const file = join(dir, `${length}.state`);
      const saved = await session.saveState(file);
      const loaded = await restored.loadState(file);
      rows.push({ arch, tokens: length, bytes: saved.fileSize, saveMs: saved.ms, restoreMs: loaded.ms });
      log(`  ${arch} at ${length} tokens: ${(saved.fileSize / 1024).toFixed(0)} KiB, save ${saved.ms.toFixed(1)} ms, restore ${loaded.ms.toFixed(1)} ms`);
    }
  } finally {
    await model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
