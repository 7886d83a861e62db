// Opens an article served by `rolebook serve` in headless Chromium, edits the article's file,
// and waits for the new text to appear in the open page (the test never reloads it). Then a
// broken edit must show the error overlay, and the fix must clear it.
// Usage: node live_reload.mjs <page-url> <article-file>
import { writeFileSync } from "node:fs";
import { launch } from "./browser.mjs";

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error("usage: node live_reload.mjs <page-url> <article-file>");
  process.exit(2);
}
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => document.body.innerText.includes("Original text"));
  // Let the page's event stream connect before editing.
  await page.waitForTimeout(500);

  writeFileSync(file, "---\ntitle: Live\n---\nEdited in the editor.\n");
  await page.waitForFunction(() => document.body.innerText.includes("Edited in the editor."), null, { timeout: 15000 });
  console.log("ok: the edit appeared without reloading by hand");

  writeFileSync(file, "---\ntitle: [Live\n---\nBroken.\n");
  await page.waitForSelector("#rolebook-errors", { timeout: 15000 });
  const overlay = await page.textContent("#rolebook-errors");
  if (!overlay.includes("content/guides/live.md")) throw new Error("the overlay does not name the file: " + overlay);
  console.log("ok: the error overlay names the file");

  writeFileSync(file, "---\ntitle: Live\n---\nFixed again.\n");
  await page.waitForFunction(() => document.body.innerText.includes("Fixed again.") && !document.getElementById("rolebook-errors"), null, { timeout: 15000 });
  console.log("ok: the fix cleared the overlay");
} finally {
  await browser.close();
}
