// Property: whatever sessions do (start, record, rewind, finish, accept into another branch, discard,
// several alive at once), the user's branch, index, stash and files stay byte-identical to what the
// user made. 100 random sessions, interleaved with random user edits; a seeded generator makes any
// failure reproducible (ITU_PROPERTY_SEED).
import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SessionStore, type Session } from "../../../extension/core/sessions/index";
import { git, makeRepo, userState, write } from "./gitRepo";
import { seededRandom } from "../../support/seededRandom";

describe("the user's work is sacred (property)", () => {
  const seed = Number(process.env.ITU_PROPERTY_SEED ?? 20261121);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const repo = makeRepo({ "a.txt": "a\n", "b.txt": "b\n", "src/c.ts": "c\n" });
  git(repo.root, "branch", "integration");
  git(repo.root, "branch", "feature");
  after(() => repo.cleanup());

  function userEdit(n: number): void {
    const action = pick(["unstaged", "staged", "untracked", "delete", "commit", "stash", "switch"] as const);
    const file = pick(["a.txt", "b.txt", "src/c.ts", `new-${n % 5}.txt`]);
    try {
      if (action === "unstaged") write(repo.root, file, `user ${n}\n`);
      else if (action === "staged") {
        write(repo.root, file, `staged ${n}\n`);
        git(repo.root, "add", file);
      } else if (action === "untracked") write(repo.root, `untracked/${n % 7}.txt`, `u ${n}\n`);
      else if (action === "delete") rmSync(join(repo.root, file), { force: true });
      else if (action === "commit") git(repo.root, "commit", "-q", "--allow-empty", "-am", `user commit ${n}`);
      else if (action === "stash") git(repo.root, "stash", "push", "-q", "--include-untracked");
      else git(repo.root, "checkout", "-q", git(repo.root, "rev-parse", "--abbrev-ref", "HEAD").trim() === "main" ? "feature" : "main");
    } catch {
      // A user action git refuses (nothing to stash, a checkout blocked by changes) is still a user action.
    }
  }

  async function sessionWork(store: SessionStore, live: Session[], n: number): Promise<void> {
    const action = live.length === 0 ? "start" : pick(["start", "step", "step", "step", "rewind", "end", "end"] as const);
    if (action === "start" && live.length < 3) {
      live.push(await store.start({ task: `task ${n}`, ...(random() < 0.3 ? { base: "integration" } : {}), ...(random() < 0.3 ? { issue: n } : {}) }));
      return;
    }
    const session = pick(live);
    if (action === "step" || action === "start") {
      const writes = random() < 0.7;
      if (writes) write(session.worktreePath, pick(["a.txt", "b.txt", "src/c.ts", `s-${n % 3}.txt`]), `session ${n}\n`);
      await session.recordStep({ effect: writes ? "writes" : "reads", call: { tool: writes ? "write_file" : "read_file", args: { n } }, observation: { ok: true, text: `obs ${n}` } });
    } else if (action === "rewind") {
      await store.rewind(session.id, Math.floor(random() * (session.stepCount + 1)));
      live.splice(live.indexOf(session), 1, await store.load(session.id));
    } else {
      live.splice(live.indexOf(session), 1);
      const intoIntegration = session.header.base.ref === "integration" && random() < 0.7;
      if (intoIntegration) {
        await session.finish(`summary ${n}`);
        await store.accept(session.id, { squash: random() < 0.5 }).catch((e: { code?: string }) => {
          if (!["base-moved-conflict", "invalid-argument"].includes(e.code ?? "")) throw e;
        });
      }
      await store.discard(session.id);
    }
  }

  it("100 random sessions leave the user's branch, index, stash and files byte-identical", async () => {
    const store = await SessionStore.open(repo.root);
    const live: Session[] = [];
    let started = 0;
    let checks = 0;
    const t0 = performance.now();
    for (let n = 0; started < 100 || live.length > 0; n++) {
      if (random() < 0.35) userEdit(n);
      const expected = userState(repo.root);
      const before = live.length;
      if (started >= 100) {
        await store.discard(live.pop()!.id);
      } else {
        await sessionWork(store, live, n);
        if (live.length > before) started++;
      }
      assert.deepEqual(userState(repo.root), expected, `seed ${seed}, round ${n}: a session operation changed the user's work`);
      checks++;
    }
    assert.deepEqual(await store.list(), []);
    assert.equal(git(repo.root, "worktree", "list").trim().split("\n").length, 1);
    console.log(`    ${started} sessions, ${checks} checked operations in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed})`);
  });
});
