// The browser from inside a test. The extension host cannot reach it, so a test writes a request file
// into the run folder; the launcher (which drives the browser) performs it and answers with a done
// file. Screenshots land in test-results/screenshots/<name>.png.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserAnswer, BrowserRequest } from "./browserProtocol";

let counter = 0;

async function ask(request: BrowserRequest, timeoutMs = 20_000): Promise<string | undefined> {
  const runDir = process.env.ITU_RUN_DIR;
  if (!runDir) throw new Error("ITU_RUN_DIR is not set: browser requests need the integration launcher");
  const requests = join(runDir, "browser-requests");
  mkdirSync(requests, { recursive: true });
  // Sortable ids: the launcher performs requests in the order they were made.
  const id = `${Date.now()}-${String(++counter).padStart(4, "0")}`;
  const done = join(requests, `${id}.done`);
  // Written aside, then renamed: the launcher polls the folder and must never read a half-written request.
  writeFileSync(join(requests, `${id}.writing`), JSON.stringify(request));
  renameSync(join(requests, `${id}.writing`), join(requests, `${id}.request`));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`the launcher did not answer ${JSON.stringify(request)} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = JSON.parse(readFileSync(done, "utf8")) as BrowserAnswer;
  if (!answer.ok) throw new Error(`browser ${request.kind} failed: ${answer.error}`);
  return answer.text;
}

export async function screenshot(name: string, timeoutMs = 20_000): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
  await ask({ kind: "screenshot", name }, timeoutMs);
  return join(process.env.ITU_REPO_ROOT ?? ".", "test-results/screenshots", `${name}.png`);
}

/** Types into whatever has focus (a quick pick's input, for example). */
export async function typeText(text: string): Promise<void> {
  await ask({ kind: "type", text });
}

export async function pressKey(key: string): Promise<void> {
  await ask({ kind: "press", key });
}

export async function click(selector: string, hasText?: string, timeoutMs = 10_000): Promise<void> {
  await ask({ kind: "click", selector, hasText, timeoutMs }, timeoutMs + 10_000);
}

/** Sets the whole value of the input matching the selector in one go, as a paste would. */
export async function fillInput(selector: string, text: string): Promise<void> {
  await ask({ kind: "fill", selector, text });
}

/** The value of the input matching the selector (what innerText never shows). */
export async function inputValue(selector: string): Promise<string> {
  return (await ask({ kind: "value", selector })) ?? "";
}

/** The visible text of every element matching the selector, one per line. */
export async function textOf(selector: string): Promise<string> {
  return (await ask({ kind: "text", selector })) ?? "";
}
