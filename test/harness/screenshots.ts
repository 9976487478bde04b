// Answers the screenshot requests that tests write (see test/integration/support/screenshot.ts).
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { repoRoot } from "./paths";

export function serveScreenshots(page: Page, runDir: string): void {
  const requests = join(runDir, "screenshot-requests");
  const outDir = join(repoRoot, "test-results/screenshots");
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || !existsSync(requests)) return;
    busy = true;
    try {
      for (const file of readdirSync(requests).filter((f) => f.endsWith(".request"))) {
        const name = file.slice(0, -".request".length);
        renameSync(join(requests, file), join(requests, `${name}.taking`));
        mkdirSync(outDir, { recursive: true });
        await page.screenshot({ path: join(outDir, `${name}.png`) }).catch((e: Error) => console.error(`screenshot ${name}: ${e.message}`));
        writeFileSync(join(requests, `${name}.done`), "");
      }
    } finally {
      busy = false;
    }
  }, 150);
  page.once("close", () => clearInterval(timer));
}
