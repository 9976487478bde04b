// Writes the store's own git objects (trace records, trace trees, commits) straight into the
// repository's object folder, the way git writes a loose object: "<type> <size>\0<content>",
// hashed (SHA-1, or SHA-256 in a repository made with that format), zlib-deflated, written to a
// temporary file and renamed into objects/<2 hex>/<rest>. Each of these was a git process before
// (hash-object, mktree, commit-tree: 10-25 ms each here); a step recorded most of its time starting
// them (benchmark 6). What needs git's own logic stays with git: the index (`add`, `write-tree`),
// diffs and every ref update, which git locks and logs.
//
// In a shared repository (core.sharedRepository) git widens the modes of what it creates so the
// group can write there too; an object folder this store made with the process umask would stop the
// group's git from adding objects to it. So files and fan-out folders get the modes git gives them.
//
// Commits carry the store's fixed identity (gitGate.ts), never a signature: the store's git runs
// with commit.gpgsign=false as well, so a commit written here is the commit `commit-tree` would write.
import { createHash } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { SessionError } from "./errors";
import { storeIdentity } from "./gitGate";

export interface TreeEntry {
  readonly mode: "100644" | "100755" | "040000" | "120000" | "160000";
  readonly name: string;
  readonly oid: string;
}

export interface CommitFields {
  readonly tree: string;
  readonly parents: readonly string[];
  /** Written as is: commit-tree's `-F` keeps the text byte for byte (end it with a newline). */
  readonly message: string;
  /** The commit's time; now by default. */
  readonly when?: Date;
}

type ObjectType = "blob" | "tree" | "commit";

export class LooseObjects {
  private constructor(
    /** <git-dir>/objects, as git itself resolves it (a linked worktree's is the common one). */
    readonly folder: string,
    readonly hash: "sha1" | "sha256",
    /** core.sharedRepository as git parses it: 0 for the umask, 0o660/0o664 widen, a negative value sets. */
    private readonly sharedPerm: number = 0,
  ) {}

  /** `runGit` runs git on the repository (for a session worktree: on its own git data); asked once. */
  static async open(runGit: (args: readonly string[]) => Promise<string>): Promise<LooseObjects> {
    const [paths, shared] = await Promise.all([
      runGit(["rev-parse", "--path-format=absolute", "--git-path", "objects", "--show-object-format"]),
      runGit(["config", "--default", "umask", "--get", "core.sharedRepository"]),
    ]);
    const [folder, format] = paths.trim().split("\n");
    if (!folder || (format !== "sha1" && format !== "sha256")) throw new SessionError("git-failed", `git reported an object folder or format the store cannot write to (${format ?? "none"}).`);
    return new LooseObjects(folder, format, parseSharedRepository(shared.trim()));
  }

  blob(text: string): Promise<string> {
    return this.write("blob", Buffer.from(text, "utf8"));
  }

  /** A tree of `entries`, in git's order (a folder sorts as if its name ended in "/"). */
  async tree(entries: readonly TreeEntry[]): Promise<string> {
    const sortKey = (e: TreeEntry) => Buffer.from(e.mode === "040000" ? `${e.name}/` : e.name, "utf8");
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    const parts = sorted.flatMap((e) => {
      if (!e.name || /[/\0]/.test(e.name)) throw new SessionError("invalid-argument", `A tree entry cannot be named ${JSON.stringify(e.name)}.`);
      return [Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.name}\0`, "utf8"), this.rawOid(e.oid)];
    });
    return this.write("tree", Buffer.concat(parts));
  }

  async commit(fields: CommitFields): Promise<string> {
    const signature = (name: string, email: string) => `${name} <${email}> ${gitTime(fields.when ?? new Date())}`;
    const author = signature(storeIdentity.GIT_AUTHOR_NAME!, storeIdentity.GIT_AUTHOR_EMAIL!);
    const committer = signature(storeIdentity.GIT_COMMITTER_NAME!, storeIdentity.GIT_COMMITTER_EMAIL!);
    for (const oid of [fields.tree, ...fields.parents]) this.rawOid(oid);
    const header = [`tree ${fields.tree}`, ...fields.parents.map((p) => `parent ${p}`), `author ${author}`, `committer ${committer}`];
    return this.write("commit", Buffer.from(`${header.join("\n")}\n\n${fields.message}`, "utf8"));
  }

  private async write(type: ObjectType, content: Buffer): Promise<string> {
    const object = Buffer.concat([Buffer.from(`${type} ${content.length}\0`, "ascii"), content]);
    const oid = createHash(this.hash).update(object).digest("hex");
    const dir = join(this.folder, oid.slice(0, 2));
    const file = join(dir, oid.slice(2));
    try {
      if (await exists(file)) return oid;
      if ((await mkdir(dir, { recursive: true })) !== undefined) await this.adjustSharedPerm(dir, true);
      // A reader never sees half an object: it appears under its name whole, or not at all.
      const temporary = join(dir, `tmp_obj_${process.pid}_${Math.random().toString(36).slice(2)}`);
      await writeFile(temporary, deflateSync(object), { mode: 0o444 });
      await this.adjustSharedPerm(temporary, false);
      await rename(temporary, file).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        if (!(await exists(file))) throw error;
      });
      return oid;
    } catch (error) {
      throw new SessionError("git-failed", `Writing a git ${type} to ${this.folder} failed: ${(error as Error).message}`);
    }
  }

  /** git's adjust_shared_perm (path.c): what a file or folder it creates gets in a shared repository. */
  private async adjustSharedPerm(path: string, isFolder: boolean): Promise<void> {
    if (this.sharedPerm === 0) return;
    const old = (await stat(path)).mode & 0o7777;
    let tweak = Math.abs(this.sharedPerm);
    if (!(old & 0o200)) tweak &= ~0o222;
    if (old & 0o100) tweak |= (tweak & 0o444) >> 2;
    let mode = this.sharedPerm < 0 ? (old & ~0o777) | tweak : old | tweak;
    if (isFolder) {
      // Every reader may enter it; when the group has access, what is made in it keeps the group (setgid).
      mode |= (mode & 0o444) >> 2;
      if (mode & 0o060) mode |= 0o2000;
    }
    if (mode !== old) await chmod(path, mode);
  }

  private rawOid(oid: string): Buffer {
    const length = this.hash === "sha1" ? 40 : 64;
    if (oid.length !== length || !/^[0-9a-f]+$/.test(oid)) throw new SessionError("invalid-argument", `${JSON.stringify(oid)} is not a ${this.hash} object id.`);
    return Buffer.from(oid, "hex");
  }
}

/** core.sharedRepository as git's git_config_perm reads it (setup.c). */
export function parseSharedRepository(value: string): number {
  const group = 0o660;
  const everybody = 0o664;
  if (value === "umask") return 0;
  if (value === "group") return group;
  if (value === "all" || value === "world" || value === "everybody") return everybody;
  if (/^[0-7]+$/.test(value)) {
    const mode = parseInt(value, 8);
    if (mode === 0) return 0;
    if (mode === 1) return group;
    if (mode === 2) return everybody;
    if ((mode & 0o600) !== 0o600) throw new SessionError("git-failed", `core.sharedRepository is ${value}: the owner of the repository's files must be able to read and write them, so git refuses it as well.`);
    return -(mode & 0o666);
  }
  if (/^(true|yes|on)$/i.test(value) || /^[+-]?[1-9]\d*$/.test(value)) return group;
  if (/^(false|no|off|)$/i.test(value)) return 0;
  throw new SessionError("git-failed", `core.sharedRepository is ${JSON.stringify(value)}, which git does not read either.`);
}

/** git's "<seconds> <±hhmm>" in the local time zone, as commit-tree writes it. */
export function gitTime(when: Date): string {
  const offset = -when.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${Math.floor(when.getTime() / 1000)} ${zone}`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
