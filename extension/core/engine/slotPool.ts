// Which session holds which of a llama-server's slots. A slot keeps one session's evaluated stream
// (its KV cache or recurrent state); two sessions on one slot would evict each other's cache on every
// turn. Ids never leave this file bare: a session holds a SlotLease and gives it back.
import { LlamaServerError, type LlamaServer } from "./llamaServer";

export interface SlotLease {
  readonly slot: number;
  /** Erases the slot's state on the server (quietly when the server is gone) and frees it here. */
  release(): Promise<void>;
}

export class SlotPool {
  private readonly held = new Set<number>();

  constructor(private readonly server: LlamaServer, readonly size: number) {}

  get inUse(): number {
    return this.held.size;
  }

  /**
   * A free slot: `wanted` when given (a batch runner hands each process its own), else one no session
   * here holds, preferring one no other client of the server is busy on. Other processes may share
   * the server; a slot they also use costs only speed (the prompt is re-evaluated), never exactness:
   * every request carries the whole stream and the server reuses only the prefix that matches.
   */
  async acquire(wanted?: number): Promise<SlotLease> {
    if (wanted !== undefined) {
      if (!Number.isInteger(wanted) || wanted < 0 || wanted >= this.size) throw new LlamaServerError("NO_SLOTS", `Slot ${wanted} does not exist: the server at ${this.server.url} has slots 0 to ${this.size - 1}.`);
      if (this.held.has(wanted)) throw new LlamaServerError("NO_SLOTS", `Slot ${wanted} of the server at ${this.server.url} is already held by another session.`);
      return this.lease(wanted);
    }
    const free = () => [...Array(this.size).keys()].filter((slot) => !this.held.has(slot));
    const full = () => new LlamaServerError("NO_SLOTS", `All ${this.size} slots of the server at ${this.server.url} are in use: end a session, or start the server with more (-np).`);
    if (free().length === 0) throw full();
    const busy = await this.server.busySlots();
    // Sessions opened at once all waited above: choose after the wait, from what is still free.
    const now = free();
    if (now.length === 0) throw full();
    return this.lease(now.find((slot) => !busy.has(slot)) ?? now[0]!);
  }

  private lease(slot: number): SlotLease {
    this.held.add(slot);
    let released = false;
    return {
      slot,
      release: async () => {
        if (released) return;
        released = true;
        try {
          await this.server.eraseSlot(slot);
        } catch {
          // A server that is gone took the slot's state along.
        } finally {
          this.held.delete(slot);
        }
      },
    };
  }
}
