// Model-state snapshots, one file per (session, step), kept under the repository's git directory
// (never in a working tree): <git-common-dir>/infinite-tool-use/snapshots/<session>/<step>.bin.
// The model runtime writes and reads the files (saveState/loadState); this store only names them,
// lists them and prunes them to a size budget. The folder itself is the index: nothing to go stale.
// A runtime may keep companions beside a snapshot, named after it (`<step>.bin.json`, the in-process
// engine's description; `<step>.bin.partial-<pid>`, a save a killed run left): they move and go with it.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface SnapshotInfo {
  readonly sessionId: string;
  readonly step: number;
  readonly path: string;
  readonly bytes: number;
  readonly modifiedMs: number;
}

const snapshotName = /^(\d+)\.bin$/;

export class SnapshotStore {
  constructor(readonly root: string) {}

  /** Where the runtime should save (or finds) the state after `step`; creates the folder. */
  pathFor(sessionId: string, step: number): string {
    const dir = join(this.root, sessionId);
    mkdirSync(dir, { recursive: true });
    return join(dir, `${step}.bin`);
  }

  list(sessionId?: string): SnapshotInfo[] {
    if (!existsSync(this.root)) return [];
    const sessions = sessionId === undefined ? readdirSync(this.root) : [sessionId];
    return sessions.flatMap((id) => this.listSession(id));
  }

  /** The newest snapshot at or before `step`: resuming or rewinding loads it and replays the rest. */
  latestAtOrBefore(sessionId: string, step: number): SnapshotInfo | undefined {
    return this.list(sessionId)
      .filter((s) => s.step <= step)
      .sort((a, b) => b.step - a.step)[0];
  }

  /** Moves snapshots after `step` aside (rewind), so the steps that follow can reuse the numbers
   * while the rewound-over states stay loadable until pruned. Returns the folder they went to. */
  setAsideAfter(sessionId: string, step: number, label: string): string | undefined {
    const later = this.list(sessionId).filter((s) => s.step > step);
    if (later.length === 0) return undefined;
    const aside = join(this.root, `${sessionId}.rewound`, label);
    mkdirSync(aside, { recursive: true });
    for (const s of later) for (const file of withCompanions(s.path)) renameSync(file, join(aside, basename(file)));
    return aside;
  }

  removeSession(sessionId: string): void {
    rmSync(join(this.root, sessionId), { recursive: true, force: true });
    rmSync(join(this.root, `${sessionId}.rewound`), { recursive: true, force: true });
  }

  /** Deletes the oldest snapshots until the total fits `budgetBytes`. Set-aside (rewound-over) ones go
   * first; the newest snapshot of each session is kept as long as anything else can go. */
  prune(budgetBytes: number): SnapshotInfo[] {
    const all = this.listEverything();
    let total = all.reduce((n, s) => n + s.bytes, 0);
    const newestPerSession = new Map<string, SnapshotInfo>();
    for (const s of all) if (!s.path.includes(".rewound") && (newestPerSession.get(s.sessionId)?.step ?? -1) < s.step) newestPerSession.set(s.sessionId, s);
    const keptLast = new Set([...newestPerSession.values()].map((s) => s.path));
    const order = [...all].sort((a, b) => rank(a, keptLast) - rank(b, keptLast) || a.modifiedMs - b.modifiedMs);
    const removed: SnapshotInfo[] = [];
    for (const s of order) {
      if (total <= budgetBytes) break;
      for (const file of withCompanions(s.path)) rmSync(file, { force: true });
      total -= s.bytes;
      removed.push(s);
    }
    return removed;
  }

  totalBytes(): number {
    return this.listEverything().reduce((n, s) => n + s.bytes, 0);
  }

  private listEverything(): SnapshotInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".bin"))
      .map((f) => {
        const parts = f.split(/[\\/]/);
        const path = join(this.root, f);
        const st = statSync(path);
        return { sessionId: parts[0]!.replace(/\.rewound$/, ""), step: Number(parts[parts.length - 1]!.replace(".bin", "")), path, bytes: st.size, modifiedMs: st.mtimeMs };
      });
  }

  private listSession(sessionId: string): SnapshotInfo[] {
    const dir = join(this.root, sessionId);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    return readdirSync(dir).flatMap((name) => {
      const m = snapshotName.exec(name);
      if (!m) return [];
      const path = join(dir, name);
      const st = statSync(path);
      return [{ sessionId, step: Number(m[1]), path, bytes: st.size, modifiedMs: st.mtimeMs }];
    });
  }
}

/** The snapshot file and the files named after it beside it. */
function withCompanions(path: string): string[] {
  const name = basename(path);
  return [path, ...readdirSync(dirname(path)).filter((f) => f.startsWith(`${name}.`)).map((f) => join(dirname(path), f))];
}

function rank(s: SnapshotInfo, keptLast: Set<string>): number {
  if (s.path.includes(".rewound")) return 0;
  return keptLast.has(s.path) ? 2 : 1;
}
