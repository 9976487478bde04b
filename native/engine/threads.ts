// Thread choice. node-llama-cpp defaults to max(4, cores) threads; on a 2-core machine that spins
// against the Node main thread and measured ~100x slower per token than 1 thread (see
// shared/notes/llama-recurrent.md). So: one thread on <= 2 cores, otherwise leave one core to the
// editor and the host's own event loop.
import { availableParallelism } from "node:os";

export function chooseThreads(requested?: number, cores = availableParallelism()): number {
  if (requested !== undefined && requested > 0) return Math.floor(requested);
  if (cores <= 2) return 1;
  return Math.max(1, Math.min(cores - 1, Math.ceil(cores / 2)));
}
