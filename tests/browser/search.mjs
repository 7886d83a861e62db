// Searches a built site in headless Chromium: types a word into the header's search box on
// the home page and waits for the article holding it to appear in the results (with the word
// marked), then opens it with ArrowDown + Enter; runs the same query on the search page
// (`search/?q=`), and checks that no request left the site.
//
// Usage:
//   node search.mjs --url <home-url> <word> <title> <article-path>
//       the site is already served (by `rolebook serve`) at <home-url>;
//   node search.mjs --dir <output-dir> <prefix> <word> <title> <article-path>
//       serves <output-dir> itself under the path <prefix> (`/guides/`), as a project site on
//       GitHub Pages would be, and opens <prefix> as the home page.
// <article-path> is the path the article's link must reach (`/guides/x/`, or with
// relative_urls `/guides/x/index.html`). Prints one `ok:` line per check.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { launch } from "./browser.mjs";

const args = process.argv.slice(2);
let home, word, title, articlePath, server;
if (args[0] === "--url" && args.length === 5) {
  [, home, word, title, articlePath] = args;
} else if (args[0] === "--dir" && args.length === 6) {
  const [, dir, prefix] = args;
  [word, title, articlePath] = args.slice(3);
  server = await serveDir(dir, prefix);
  home = `http://127.0.0.1:${server.address().port}${prefix}`;
} else {
  console.error("usage: node search.mjs --url <home-url> <word> <title> <article-path>\n" +
    "       node search.mjs --dir <output-dir> <prefix> <word> <title> <article-path>");
  process.exit(2);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

// A static server for <dir> under <prefix>; anything else is a 404.
function serveDir(dir, prefix) {
  const srv = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(normalize(dir))) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

const origin = new URL(home).origin;
const browser = await launch();
try {
  const page = await browser.newPage();
  const foreign = [];
  const errors = [];
  page.on("request", (r) => {
    if (new URL(r.url()).origin !== origin) foreign.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("requestfailed", (r) => {
    // Leaving a page aborts its open requests (serve's live-reload event stream): not a failure.
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || "")) errors.push("request failed: " + r.url());
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });

  await page.goto(home, { waitUntil: "load" });
  const box = page.locator("header form[data-search] input[name=q]");
  await box.click();
  await box.pressSequentially(word, { delay: 20 });
  const result = page.locator(".search-result", { hasText: title });
  await result.first().waitFor({ timeout: 15000 });
  console.log("ok: typing the word into the header box lists the article");

  // Results follow the typing: wait until they show the whole word marked, not a prefix of it
  // typed a moment earlier.
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const marked = result.first().locator("mark", { hasText: new RegExp("^" + escaped + "$", "i") });
  try {
    await marked.first().waitFor({ timeout: 15000 });
  } catch {
    const marks = await result.first().locator("mark").allTextContents();
    throw new Error("the word is not marked in the result: " + JSON.stringify(marks));
  }
  console.log("ok: the matching snippet marks the word");

  await box.press("ArrowDown");
  const active = page.locator(".search-result.is-active", { hasText: title });
  await active.waitFor({ timeout: 5000 });
  await Promise.all([
    page.waitForURL((u) => u.pathname === articlePath, { timeout: 15000 }),
    box.press("Enter"),
  ]);
  const h1 = (await page.locator("h1").first().textContent()).trim();
  if (h1 !== title) throw new Error(`Enter opened a page titled ${JSON.stringify(h1)}`);
  console.log("ok: ArrowDown + Enter opens the article");

  // The form's own target: the search page with ?q=, as a browser without JavaScript goes.
  await page.goto(home, { waitUntil: "load" });
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get("q") === word, { timeout: 15000 }),
    page.locator("header form[data-search] input[name=q]").fill(word).then(() =>
      page.locator("header form[data-search] button[type=submit]").click()),
  ]);
  await page.locator("#search-page-results .search-result", { hasText: title }).first()
    .waitFor({ timeout: 15000 });
  console.log("ok: the search page lists the article for ?q=");

  if (foreign.length) throw new Error("requests left the site: " + foreign.join(", "));
  if (errors.length) throw new Error("errors: " + errors.join("; "));
  console.log("ok: no request left the site and nothing failed");
} finally {
  await browser.close();
  if (server) server.close();
}
