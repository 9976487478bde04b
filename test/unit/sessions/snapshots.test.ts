// Snapshot paths, lookup and pruning by size budget, on a real folder.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SessionStore, SnapshotStore } from "../../../extension/core/sessions/index";
import { makeRepo } from "./gitRepo";

function save(store: SnapshotStore, id: string, step: number, bytes: number, ageSeconds: number): string {
  const path = store.pathFor(id, step);
  writeFileSync(path, Buffer.alloc(bytes, step));
  const t = Date.now() / 1000 - ageSeconds;
  utimesSync(path, t, t);
  return path;
}

describe("snapshot store", () => {
  it("finds the newest snapshot at or before a step", () => {
    const root = mkdtempSync(join(tmpdir(), "itu-snap-"));
    try {
      const store = new SnapshotStore(root);
      save(store, "s", 2, 10, 3);
      save(store, "s", 5, 10, 2);
      assert.equal(store.latestAtOrBefore("s", 4)?.step, 2);
      assert.equal(store.latestAtOrBefore("s", 9)?.step, 5);
      assert.equal(store.latestAtOrBefore("s", 1), undefined);
      assert.equal(store.latestAtOrBefore("other", 9), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("prunes oldest first to the budget, rewound-over ones first, the newest of each session last", () => {
    const root = mkdtempSync(join(tmpdir(), "itu-snap-"));
    try {
      const store = new SnapshotStore(root);
      const a1 = save(store, "a", 1, 100, 100);
      const a2 = save(store, "a", 2, 100, 90);
      const b1 = save(store, "b", 1, 100, 80);
      const a3 = save(store, "a", 3, 100, 10);
      store.setAsideAfter("a", 2, "rewind-1");
      assert.equal(existsSync(a3), false, "set aside");
      assert.equal(store.totalBytes(), 400);
      const removed = store.prune(250);
      assert.deepEqual(removed.map((r) => `${r.sessionId}/${r.step}`), ["a/3", "a/1"]);
      assert.ok(existsSync(a2) && existsSync(b1));
      assert.ok(!existsSync(a1));
      store.prune(0);
      assert.equal(store.totalBytes(), 0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("snapshot companions", () => {
  it("moves a snapshot's description and a killed save's leftover with it, and prunes them with it", () => {
    const root = mkdtempSync(join(tmpdir(), "itu-snap-"));
    try {
      const store = new SnapshotStore(root);
      save(store, "a", 1, 100, 50);
      const a2 = save(store, "a", 2, 100, 40);
      writeFileSync(`${a2}.json`, "{}"); // the in-process engine's description of the state
      writeFileSync(`${a2}.partial-4242`, "half"); // a save of step 2 a killed run left
      writeFileSync(join(root, "a", "12.bin.json"), "{}"); // another step's: not step 2's companion
      assert.deepEqual(store.list("a").map((s) => s.step).sort(), [1, 2], "only whole snapshots are listed");
      const aside = store.setAsideAfter("a", 1, "rewind-1")!;
      assert.deepEqual(readdirSync(aside).sort(), ["2.bin", "2.bin.json", "2.bin.partial-4242"], "the description stays with its state");
      assert.deepEqual(readdirSync(join(root, "a")).sort(), ["1.bin", "12.bin.json"]);
      store.prune(100);
      assert.deepEqual(readdirSync(aside), [], "pruning a snapshot removes its companions");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("snapshot budget during a session", () => {
  it("recordStep keeps the snapshots within infiniteToolUse.snapshots.budgetMB, newest kept", async () => {
    const repo = makeRepo();
    try {
      const store = await SessionStore.open(repo.root, { snapshotBudgetMB: 250 / (1024 * 1024) });
      const session = await store.start({ task: "budget" });
      for (let step = 1; step <= 5; step++) {
        await session.recordStep({ effect: "reads", call: { tool: "r", args: {} }, observation: { ok: true, text: "" } });
        writeFileSync(session.snapshotPath(step), Buffer.alloc(100, step));
      }
      await session.recordStep({ effect: "reads", call: { tool: "r", args: {} }, observation: { ok: true, text: "" } });
      assert.deepEqual(store.snapshots.list(session.id).map((s) => s.step).sort(), [4, 5]);
    } finally {
      repo.cleanup();
    }
  });
});
