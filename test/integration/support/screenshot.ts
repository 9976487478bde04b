// Screenshots from inside a test. The extension host cannot reach the browser, so a test writes a
// request file into the run folder; the launcher (which drives the browser) takes the picture into
// test-results/screenshots/<name>.png and answers with a done file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export async function screenshot(name: string, timeoutMs = 20_000): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
  const runDir = process.env.ITU_RUN_DIR;
  if (!runDir) throw new Error("ITU_RUN_DIR is not set: screenshots need the integration launcher");
  const requests = join(runDir, "screenshot-requests");
  mkdirSync(requests, { recursive: true });
  const done = join(requests, `${name}.done`);
  writeFileSync(join(requests, `${name}.request`), name);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`the launcher took no screenshot "${name}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return join(process.env.ITU_REPO_ROOT ?? ".", "test-results/screenshots", `${name}.png`);
}
