// SVG to PNG through the chromium the integration harness already uses (no image library needed).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function renderSvgToPng(svg: string, size: { width: number; height: number }, path: string): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM} to draw the chart: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    // Twice the pixels: the README scales the image down, and text stays sharp.
    const page = await browser.newPage({ viewport: size, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path, clip: { x: 0, y: 0, ...size } });
  } finally {
    await browser.close();
  }
}
