// Stores a session's trace in git, beside its branch: the ref refs/infinite/traces/<id> points to a
// chain of commits whose tree holds one small blob per record:
//   header.json, step-000001.json, step-000002.json, ..., end.json (when finished)
// Appending a step writes one blob and one flat tree of object ids (~50 bytes per step), never the
// records themselves again, written in-process (looseObjects.ts: no git process); the session then
// moves this ref and its branch in one transaction (session.ts). Nothing here touches a working tree
// or index.
import type { GitGate } from "./gitGate";
import { SessionError } from "./errors";
import { LooseObjects } from "./looseObjects";
import { sessionRefs } from "./naming";
import { parseRecord, traceRecordName, type Trace, type TraceEnd, type TraceHeader, type TraceStep } from "./traceFormat";

interface TreeEntry {
  readonly name: string;
  readonly oid: string;
}

/** A trace commit written but not yet on the ref: the caller moves the ref from `from` to `to`
 * (with other refs, atomically), then calls `applied()`. */
export interface PreparedAppend {
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  applied(): void;
}

const stepFile = traceRecordName;

export class TraceStore {
  private steps: TreeEntry[] = [];
  private header: TreeEntry | undefined;
  private end: TreeEntry | undefined;
  private tip: string | undefined;
  private objects: Promise<LooseObjects> | undefined;

  private constructor(
    private readonly git: GitGate,
    private readonly repo: string,
    readonly sessionId: string,
  ) {}

  get ref(): string {
    return sessionRefs.trace(this.sessionId);
  }

  get stepCount(): number {
    return this.steps.length;
  }

  /** Creates the trace ref; fails when the session already has one. */
  static async create(git: GitGate, repo: string, header: TraceHeader): Promise<TraceStore> {
    const store = new TraceStore(git, repo, header.sessionId);
    store.header = { name: "header.json", oid: await store.writeBlob(header) };
    await store.commit("trace: header");
    return store;
  }

  static async open(git: GitGate, repo: string, sessionId: string): Promise<TraceStore> {
    const store = new TraceStore(git, repo, sessionId);
    await store.reload();
    return store;
  }

  /** The error for a trace that another writer (a rewind from the Sessions view, a second window)
   * moved since this store read it: the caller must load the session again. */
  changedElsewhere(): SessionError {
    return new SessionError("session-changed-elsewhere", `Session ${this.sessionId} was rewound or continued elsewhere; load it again before recording more steps.`);
  }

  /** Whether the ref is still where this store last moved or read it. */
  async isUnchanged(): Promise<boolean> {
    return (await this.git.run(this.repo, ["rev-parse", "--verify", this.ref])).trim() === this.tip;
  }

  /** Writes the step's record and the trace commit holding it, without moving the ref. */
  async prepareAppend(record: TraceStep): Promise<PreparedAppend> {
    this.checkAppendable(record);
    const from = this.tip;
    if (from === undefined) throw new SessionError("invalid-trace", `The trace of session ${this.sessionId} has no commit to append to.`);
    const steps = [...this.steps, { name: stepFile(record.step), oid: await this.writeBlob(record) }];
    const to = await this.writeCommit(steps, `trace: step ${record.step}`);
    return {
      ref: this.ref,
      from,
      to,
      applied: () => {
        this.steps = steps;
        this.tip = to;
      },
    };
  }

  async append(record: TraceStep): Promise<void> {
    this.checkAppendable(record);
    this.steps.push({ name: stepFile(record.step), oid: await this.writeBlob(record) });
    await this.commit(`trace: step ${record.step}`);
  }

  private checkAppendable(record: TraceStep): void {
    if (this.end) throw new SessionError("session-not-active", `Session ${this.sessionId} has ended; it takes no more steps.`);
    if (record.step !== this.steps.length + 1) throw new SessionError("invalid-argument", `Step ${record.step} does not follow step ${this.steps.length}.`);
  }

  async finish(end: TraceEnd): Promise<void> {
    this.end = { name: "end.json", oid: await this.writeBlob(end) };
    await this.commit("trace: end");
  }

  /** Drops steps after `step` (and any end record). The dropped records stay in the ref's history. */
  async truncate(step: number): Promise<void> {
    this.steps = this.steps.slice(0, step);
    this.end = undefined;
    await this.commit(`trace: rewind to step ${step}`);
  }

  async read(): Promise<Trace> {
    await this.reload();
    const oids = [this.header!, ...this.steps, ...(this.end ? [this.end] : [])].map((e) => e.oid);
    const texts = await this.readBlobs(oids);
    const header = parseRecord(texts[0]!, 1) as TraceHeader;
    const steps = texts.slice(1, 1 + this.steps.length).map((t, i) => parseRecord(t, i + 2) as TraceStep);
    const end = this.end ? (parseRecord(texts[texts.length - 1]!, texts.length) as TraceEnd) : undefined;
    return end ? { header, steps, end } : { header, steps };
  }

  async readHeader(): Promise<TraceHeader> {
    const [text] = await this.readBlobs([this.header!.oid]);
    return parseRecord(text!, 1) as TraceHeader;
  }

  get finished(): boolean {
    return this.end !== undefined;
  }

  private async reload(): Promise<void> {
    const listing = await this.git.run(this.repo, ["ls-tree", "-z", "--full-tree", this.ref]).catch((error: unknown) => {
      if (error instanceof SessionError && error.code === "git-failed") throw new SessionError("unknown-session", `No session ${this.sessionId} in this repository.`);
      throw error;
    });
    const entries = listing.split("\0").filter(Boolean).map(parseLsTreeLine);
    this.header = entries.find((e) => e.name === "header.json");
    this.end = entries.find((e) => e.name === "end.json");
    this.steps = entries.filter((e) => e.name.startsWith("step-")).sort((a, b) => a.name.localeCompare(b.name));
    if (!this.header) throw new SessionError("invalid-trace", `The trace of session ${this.sessionId} has no header.`);
    this.tip = (await this.git.run(this.repo, ["rev-parse", "--verify", `${this.ref}^{commit}`])).trim();
  }

  private async writeBlob(record: object): Promise<string> {
    return (await this.looseObjects()).blob(JSON.stringify(record) + "\n");
  }

  private async commit(message: string): Promise<void> {
    const commit = await this.writeCommit(this.steps, message);
    // The old value makes a concurrent writer fail instead of silently losing records.
    await this.git.run(this.repo, ["update-ref", "-m", message, this.ref, commit, this.tip ?? ""]);
    this.tip = commit;
  }

  /** The commit (on the current tip) whose tree holds the header, `steps` and the end record if any. */
  private async writeCommit(steps: readonly TreeEntry[], message: string): Promise<string> {
    const files = [{ name: "header.json", oid: this.header!.oid }, ...steps, ...(this.end ? [{ name: "end.json", oid: this.end.oid }] : [])];
    const objects = await this.looseObjects();
    const tree = await objects.tree(files.map((f) => ({ mode: "100644" as const, ...f })));
    // commit-tree -m wrote the message with a newline after it.
    return objects.commit({ tree, parents: this.tip ? [this.tip] : [], message: `${message}\n` });
  }

  /** The repository's object folder, asked of git once per store (only when it writes). */
  private looseObjects(): Promise<LooseObjects> {
    this.objects ??= LooseObjects.open((args) => this.git.run(this.repo, args)).catch((error: unknown) => {
      this.objects = undefined;
      throw error;
    });
    return this.objects;
  }

  private async readBlobs(oids: string[]): Promise<string[]> {
    if (oids.length === 0) return [];
    // Blobs are single-line JSON records, so each one is a line of cat-file's output.
    const out = await this.git.run(this.repo, ["cat-file", "--batch=%(objectname)"], { input: oids.join("\n") + "\n" });
    const lines = out.split("\n");
    const texts: string[] = [];
    for (let i = 0; i < lines.length - 1 && texts.length < oids.length; i += 3) texts.push(lines[i + 1]!);
    if (texts.length !== oids.length) throw new SessionError("invalid-trace", `The trace of session ${this.sessionId} could not be read back.`);
    return texts;
  }
}

function parseLsTreeLine(line: string): TreeEntry {
  const tab = line.indexOf("\t");
  const [, , oid] = line.slice(0, tab).split(" ");
  return { name: line.slice(tab + 1), oid: oid! };
}
