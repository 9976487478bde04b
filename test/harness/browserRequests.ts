// Answers the requests that tests write into the run folder (see test/integration/support/browser.ts):
// screenshots, and the few user actions a test cannot do through the VS Code API (typing into a quick
// pick, pressing a key, clicking a notification's button, reading what the workbench shows).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { BrowserAnswer, BrowserRequest } from "../integration/support/browserProtocol";
import { repoRoot } from "./paths";

async function perform(page: Page, request: BrowserRequest): Promise<BrowserAnswer> {
  switch (request.kind) {
    case "screenshot": {
      const outDir = join(repoRoot, "test-results/screenshots");
      mkdirSync(outDir, { recursive: true });
      await page.screenshot({ path: join(outDir, `${request.name}.png`) });
      return { ok: true };
    }
    case "type":
      await page.keyboard.type(request.text);
      return { ok: true };
    case "press":
      await page.keyboard.press(request.key);
      return { ok: true };
    case "click":
      await page.locator(request.selector, { hasText: request.hasText }).first().click({ timeout: request.timeoutMs ?? 10_000 });
      return { ok: true };
    case "text":
      return { ok: true, text: (await page.locator(request.selector).allInnerTexts()).join("\n") };
    case "fill":
      await page.locator(request.selector).first().fill(request.text, { timeout: 10_000 });
      return { ok: true };
    case "value":
      return { ok: true, text: await page.locator(request.selector).first().inputValue({ timeout: 10_000 }) };
  }
}

export function serveBrowserRequests(page: Page, runDir: string): void {
  const requests = join(runDir, "browser-requests");
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || !existsSync(requests)) return;
    busy = true;
    try {
      for (const file of readdirSync(requests).filter((f) => f.endsWith(".request")).sort()) {
        const id = file.slice(0, -".request".length);
        const taking = join(requests, `${id}.taking`);
        renameSync(join(requests, file), taking);
        // A request that cannot be read or performed is answered with its error: the launcher never dies of it.
        const answer = await Promise.resolve()
          .then(() => perform(page, JSON.parse(readFileSync(taking, "utf8")) as BrowserRequest))
          .catch((error: Error): BrowserAnswer => ({ ok: false, error: error.message.split("\n")[0] }));
        // Renamed into place, so that the test never reads a half-written answer.
        writeFileSync(join(requests, `${id}.answering`), JSON.stringify(answer));
        renameSync(join(requests, `${id}.answering`), join(requests, `${id}.done`));
      }
    } finally {
      busy = false;
    }
  }, 100);
  page.once("close", () => clearInterval(timer));
}
