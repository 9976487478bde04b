// Saved session states, one per step, under a disk budget: past it the oldest are pruned.
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EngineSession } from "./session";
import { EngineError } from "./errors";
import { sidecarPath } from "./stateFile";

export interface SnapshotStoreOptions {
  dir: string;
  budgetBytes: number;
}

export interface SnapshotEntry {
  id: string;
  file: string;
  bytes: number;
  savedAt: number;
}

const SNAPSHOT_ID = /^[A-Za-z0-9._-]{1,128}$/;
const SUFFIX = ".state";

export class SnapshotStore {
  /** Monotonic counter: entries saved in the same millisecond still order by save. */
  private sequenceNumber = 0;
  private readonly order = new Map<string, number>();

  constructor(private readonly options: SnapshotStoreOptions) {
    if (!(options.budgetBytes > 0)) throw new EngineError("BAD_ARGUMENT", "The snapshot budget must be positive");
  }

  fileFor(id: string): string {
    if (!SNAPSHOT_ID.test(id)) throw new EngineError("BAD_ARGUMENT", `Invalid snapshot id: ${JSON.stringify(id)}`);
    return join(this.options.dir, `${id}${SUFFIX}`);
  }

  async save(session: EngineSession, id: string): Promise<SnapshotEntry & { pruned: string[] }> {
    const file = this.fileFor(id);
    await mkdir(this.options.dir, { recursive: true });
    await session.saveState(file);
    this.order.set(id, ++this.sequenceNumber);
    const pruned = await this.prune(id);
    const entry = (await this.list()).find((e) => e.id === id);
    if (!entry) throw new EngineError("BAD_ARGUMENT", `Snapshot ${id} alone exceeds the budget of ${this.options.budgetBytes} bytes`);
    return { ...entry, pruned };
  }

  async restore(session: EngineSession, id: string): Promise<{ tokenCount: number; ms: number }> {
    return session.loadState(this.fileFor(id));
  }

  async list(): Promise<SnapshotEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.options.dir);
    } catch {
      return [];
    }
    const entries: SnapshotEntry[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
      const file = join(this.options.dir, name);
      const [state, sidecar] = await Promise.all([stat(file), stat(sidecarPath(file)).catch(() => undefined)]);
      entries.push({ id: name.slice(0, -SUFFIX.length), file, bytes: state.size + (sidecar?.size ?? 0), savedAt: state.mtimeMs });
    }
    // Oldest first: by this store's save order, then by modification time for older files.
    return entries.sort((a, b) => (this.order.get(a.id) ?? 0) - (this.order.get(b.id) ?? 0) || a.savedAt - b.savedAt);
  }

  async remove(id: string): Promise<void> {
    const file = this.fileFor(id);
    await rm(file, { force: true });
    await rm(sidecarPath(file), { force: true });
    this.order.delete(id);
  }

  /** Deletes the oldest snapshots until the total fits the budget; `keep` is deleted last of all. */
  async prune(keep?: string): Promise<string[]> {
    const entries = await this.list();
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    const victims = [...entries.filter((e) => e.id !== keep), ...entries.filter((e) => e.id === keep)];
    const pruned: string[] = [];
    for (const entry of victims) {
      if (total <= this.options.budgetBytes) break;
      await this.remove(entry.id);
      total -= entry.bytes;
      pruned.push(entry.id);
    }
    return pruned;
  }
}
