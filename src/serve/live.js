// rolebook serve: reloads the page after each rebuild and shows build errors as an overlay.
(() => {
  "use strict";
  let overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "rolebook-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#fde8e8;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const h = document.createElement("h2");
    h.textContent = "rolebook: the last save did not build";
    h.style.cssText = "margin:0 0 1rem;font:600 18px system-ui,sans-serif;color:#fff";
    const p = document.createElement("p");
    p.textContent = "The last good version of the site is still served. Fix the file and save: this page reloads by itself.";
    p.style.cssText = "font:14px system-ui,sans-serif;color:#cbd5e1";
    const pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap";
    overlay.append(h, p, pre);
    document.body.append(overlay);
  }
  function connect() {
    const es = new EventSource("/__rolebook/events");
    es.addEventListener("reload", () => location.reload());
    es.addEventListener("css", () => {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("rolebook", Date.now().toString());
        link.href = url.toString();
      }
    });
    es.addEventListener("errors", (e) => show(e.data));
    es.addEventListener("ok", hide);
    es.onerror = () => { es.close(); setTimeout(connect, 1000); };
  }
  connect();
})();
