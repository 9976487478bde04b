// The GGUF magic-header check shared by the engine's loader, its downloader and the command line.
import { open } from "node:fs/promises";

const GGUF_MAGIC = Buffer.from("GGUF", "latin1");

/** Whether the file starts with the four bytes "GGUF". Errors opening or reading the file propagate. */
export async function hasGgufHeader(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(GGUF_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(GGUF_MAGIC);
  } finally {
    await handle.close();
  }
}
