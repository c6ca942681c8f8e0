// Renders media/icon/heaplens-icon.svg to media/heaplens-icon.png (128×128, transparent corners)
// in headless Chromium (the browser the e2e suite already uses): `node scripts/render-icon.mjs`.
// The marketplace requires a PNG icon of at least 128×128; the SVG is the source of truth.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'media/icon/heaplens-icon.svg'), 'utf8');
const out = path.join(root, 'media/heaplens-icon.png');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
} finally {
  await browser.close();
}
console.log(`${path.relative(root, out)}: ${fs.statSync(out).size} bytes`);
