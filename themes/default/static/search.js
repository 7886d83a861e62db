/* rolebook search: runs in the browser over the site's own search-index.json (titles, URLs,
   descriptions, roles, tags and headings of every article) and, when a query needs body
   text, the index's body shards (search/shard-N.json). Nothing leaves the site: no CDN, no
   third-party code, no request but those two kinds of file.

   Every form with a `data-search` attribute becomes a search box:
     data-search="box"   the header's box: results drop down under it;
     data-search="page"  the search page: results listed below the form, `?q=` read and kept.
   `data-root` is the site's root as the page links to it (`/`, `/guides/`, or with
   relative_urls `../../index.html`), so every URL the script makes works under a base_url
   path and from any depth of a relative site.

   Keyboard: ArrowDown/ArrowUp move through the results, Enter opens the highlighted one
   (or, with none highlighted, submits the form to the search page), Escape closes. */
(function () {
  "use strict";

  var BOX_LIMIT = 8;
  var PAGE_LIMIT = 100;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 200;
  var WORD = /[\p{L}\p{N}]/u;
  var SPLIT = /[^\p{L}\p{N}]+/u;

  /* ---------- where the site is ---------- */

  // `data-root` ends with "/" for root-relative URLs; with relative_urls it is the relative
  // link to the home page, `../index.html` (or `index.html` on the home page itself).
  function siteOf(form) {
    var root = form.getAttribute("data-root") || "/";
    var relative = !/\/$/.test(root);
    var prefix = relative ? root.replace(/index\.html$/, "") : root;
    return { prefix: prefix, relative: relative };
  }

  // The link to an article from its index URL (`/guides/x/`, with the base path).
  function hrefOf(site, index, url) {
    var base = index.base_path || "/";
    var path = url.indexOf(base) === 0 ? url.slice(base.length) : url.replace(/^\/+/, "");
    if (site.relative && (path === "" || /\/$/.test(path))) path += "index.html";
    return site.prefix + path;
  }

  /* ---------- loading the index and its shards (once per page) ---------- */

  var loads = {};

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function store(site) {
    var s = loads[site.prefix];
    if (!s) {
      s = loads[site.prefix] = {
        index: null,
        indexPromise: null,
        bodies: Object.create(null),
        shardsWanted: false,
        shardsLeft: 0,
        listeners: [],
        failed: false,
      };
    }
    return s;
  }

  function loadIndex(site) {
    var s = store(site);
    if (!s.indexPromise) {
      s.indexPromise = getJSON(site.prefix + "search-index.json").then(function (index) {
        index.pages = (index.pages || []).map(prepare);
        index.shards = index.shards || [];
        s.index = index;
        return index;
      });
      s.indexPromise.catch(function () {
        s.failed = true;
      });
    }
    return s.indexPromise;
  }

  // Loads every body shard once; calls the listeners as each arrives.
  function loadShards(site) {
    var s = store(site);
    if (s.shardsWanted || !s.index) return;
    s.shardsWanted = true;
    s.shardsLeft = s.index.shards.length;
    s.index.shards.forEach(function (file) {
      getJSON(site.prefix + file)
        .then(function (shard) {
          var bodies = shard.bodies || {};
          Object.keys(bodies).forEach(function (url) {
            var body = String(bodies[url]);
            s.bodies[url] = { text: body, lower: body.toLowerCase() };
          });
        })
        .catch(function () {
          s.failed = true;
        })
        .then(function () {
          s.shardsLeft -= 1;
          s.listeners.forEach(function (f) {
            f();
          });
        });
    });
  }

  function prepare(p) {
    var headings = p.headings || [];
    var keywords = (p.roles || []).concat(p.tags || []).map(function (k) {
      return String(k).replace(/-/g, " ");
    });
    return {
      title: p.title || "",
      url: p.url || "",
      description: p.description || "",
      headings: headings,
      keywords: keywords,
      shard: p.shard,
      lower: {
        title: (p.title || "").toLowerCase(),
        description: (p.description || "").toLowerCase(),
        headings: headings.join("\n").toLowerCase(),
        keywords: keywords.join("\n").toLowerCase(),
      },
    };
  }

  /* ---------- matching and ranking ---------- */

  function termsOf(query) {
    var seen = {};
    return query
      .toLowerCase()
      .split(SPLIT)
      .filter(function (t) {
        if (!t || seen[t]) return false;
        seen[t] = true;
        return true;
      });
  }

  // Where `term` starts a word of `hay` (both lowercase), from `from`; -1 when nowhere.
  function wordAt(hay, term, from) {
    var i = hay.indexOf(term, from || 0);
    while (i !== -1) {
      if (i === 0 || !WORD.test(hay.charAt(i - 1))) return i;
      i = hay.indexOf(term, i + 1);
    }
    return -1;
  }

  function countWords(hay, term, max) {
    var n = 0;
    var i = wordAt(hay, term, 0);
    while (i !== -1 && n < max) {
      n += 1;
      i = wordAt(hay, term, i + term.length);
    }
    return n;
  }

  // The score of a page for every term (0 when a term matches nowhere): a title match
  // outweighs roles and tags, headings and the description, which all outweigh body text.
  function score(page, terms, phrase, body) {
    var total = 0;
    var l = page.lower;
    for (var k = 0; k < terms.length; k++) {
      var t = terms[k];
      var s = 0;
      var at = wordAt(l.title, t, 0);
      if (at !== -1) {
        s += 100;
        if (at === 0) s += 10;
        if (!WORD.test(l.title.charAt(at + t.length))) s += 10;
      }
      if (wordAt(l.keywords, t, 0) !== -1) s += 40;
      if (wordAt(l.headings, t, 0) !== -1) s += 25;
      if (wordAt(l.description, t, 0) !== -1) s += 15;
      if (body) s += countWords(body.lower, t, 5) * 2;
      if (s === 0) return 0;
      total += s;
    }
    if (terms.length > 1 && l.title.indexOf(phrase) !== -1) total += 50;
    return total;
  }

  function search(s, query) {
    var terms = termsOf(query);
    if (!terms.length || !s.index) return { terms: terms, hits: [] };
    var phrase = terms.join(" ");
    var hits = [];
    s.index.pages.forEach(function (page) {
      var body = s.bodies[page.url];
      var n = score(page, terms, phrase, body);
      if (n > 0) hits.push({ page: page, score: n, body: body });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || a.page.title.localeCompare(b.page.title);
    });
    return { terms: terms, hits: hits };
  }

  /* ---------- snippets with the words marked ---------- */

  // Ranges [start, end) where a term starts a word of `text`.
  function ranges(text, terms) {
    var lower = text.toLowerCase();
    if (lower.length !== text.length) return [];
    var out = [];
    terms.forEach(function (t) {
      var i = wordAt(lower, t, 0);
      while (i !== -1) {
        out.push([i, i + t.length]);
        i = wordAt(lower, t, i + t.length);
      }
    });
    out.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1];
    });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  // `text` as DOM nodes, each match of a term inside a <mark>.
  function marked(text, terms) {
    var frag = document.createDocumentFragment();
    var pos = 0;
    ranges(text, terms).forEach(function (r) {
      if (r[0] > pos) frag.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(r[0], r[1]);
      frag.appendChild(m);
      pos = r[1];
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  // The piece of text around the first match: body text first, else the description, else a
  // matching heading, else the opening of the body.
  function snippetOf(hit, terms) {
    var body = hit.body;
    if (body && body.lower.length === body.text.length) {
      var at = bestWindow(body.lower, terms);
      if (at !== -1) return cut(body.text, at);
    }
    var page = hit.page;
    if (page.description) return page.description;
    for (var k = 0; k < page.headings.length; k++) {
      var h = page.headings[k].toLowerCase();
      for (var j = 0; j < terms.length; j++) {
        if (wordAt(h, terms[j], 0) !== -1) return page.headings[k];
      }
    }
    return body ? cut(body.text, 0) : "";
  }

  // Where the snippet should centre: the match whose window holds the most different terms
  // (the first such match), or -1 when no term is in the text.
  function bestWindow(lower, terms) {
    var hits = [];
    terms.forEach(function (t, k) {
      var i = wordAt(lower, t, 0);
      for (var n = 0; i !== -1 && n < 50; n++) {
        hits.push([i, k]);
        i = wordAt(lower, t, i + t.length);
      }
    });
    if (!hits.length) return -1;
    hits.sort(function (a, b) {
      return a[0] - b[0];
    });
    var span = SNIPPET_LENGTH - SNIPPET_BEFORE;
    var best = hits[0][0];
    var bestCount = 0;
    for (var x = 0; x < hits.length; x++) {
      var seen = {};
      var count = 0;
      for (var y = x; y < hits.length && hits[y][0] - hits[x][0] < span; y++) {
        if (!seen[hits[y][1]]) {
          seen[hits[y][1]] = true;
          count += 1;
        }
      }
      if (count > bestCount) {
        best = hits[x][0];
        bestCount = count;
        if (count === terms.length) break;
      }
    }
    return best;
  }

  function cut(text, at) {
    var start = Math.max(0, at - SNIPPET_BEFORE);
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (start > 0) {
      var sp = text.indexOf(" ", start);
      if (sp !== -1 && sp < at) start = sp + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > at) end = back;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  /* ---------- one search box ---------- */

  var uid = 0;

  function SearchBox(form) {
    var self = this;
    this.form = form;
    this.mode = form.getAttribute("data-search") === "page" ? "page" : "box";
    this.input = form.querySelector("input[name=q]");
    this.site = siteOf(form);
    this.store = store(this.site);
    this.active = -1;
    this.options = [];
    this.query = "";
    this.timer = 0;
    uid += 1;
    var id = this.input.id || "search-" + uid;
    this.input.id = id;

    if (this.mode === "page") {
      this.list = document.getElementById("search-page-results");
      this.status = document.getElementById("search-page-status");
    }
    if (!this.list) {
      this.panel = document.createElement("div");
      this.panel.className = "search-panel";
      this.panel.hidden = true;
      this.list = document.createElement("ul");
      this.panel.appendChild(this.list);
      this.status = document.createElement("p");
      this.status.className = "search-status";
      this.status.setAttribute("aria-live", "polite");
      this.panel.appendChild(this.status);
      form.appendChild(this.panel);
    }
    this.list.id = this.list.id || id + "-results";
    this.list.classList.add("search-results");
    // The header box is an ARIA combobox (focus stays in the box, the highlighted result is
    // its active descendant); the search page lists ordinary links that Tab also reaches.
    this.combobox = this.mode === "box";
    if (this.combobox) {
      this.list.setAttribute("role", "listbox");
      this.list.setAttribute("aria-label", "Search results");
      this.input.setAttribute("role", "combobox");
      this.input.setAttribute("aria-autocomplete", "list");
      this.input.setAttribute("aria-controls", this.list.id);
      this.input.setAttribute("aria-expanded", "false");
    }

    this.input.addEventListener("focus", function () {
      self.prefetch();
      if (self.query && self.status.textContent) self.open();
    });
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () {
        self.run();
      }, 60);
    });
    this.input.addEventListener("keydown", function (e) {
      self.key(e);
    });
    form.addEventListener("submit", function (e) {
      if (self.mode === "page") {
        e.preventDefault();
        self.run();
      }
    });
    if (this.panel) {
      form.addEventListener("focusout", function (e) {
        if (!form.contains(e.relatedTarget)) self.close();
      });
      document.addEventListener("pointerdown", function (e) {
        if (!form.contains(e.target)) self.close();
      });
    }
    this.store.listeners.push(function () {
      if (self.query) self.render(true);
    });

    if (this.mode === "page") {
      var q = new URLSearchParams(window.location.search).get("q") || "";
      if (q) {
        this.input.value = q;
        this.run();
      }
    }
  }

  SearchBox.prototype.prefetch = function () {
    loadIndex(this.site).catch(function () {});
  };

  SearchBox.prototype.run = function () {
    var self = this;
    var q = this.input.value.trim();
    this.query = q;
    if (this.mode === "page") {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.toString());
    }
    if (!q) {
      this.clear();
      return;
    }
    loadIndex(this.site).then(
      function () {
        if (self.query === q) self.render(false);
      },
      function () {
        self.fail();
      }
    );
  };

  SearchBox.prototype.limit = function () {
    return this.mode === "page" ? PAGE_LIMIT : BOX_LIMIT;
  };

  // Draws the results of the current query; `keep` keeps the highlighted result (the list is
  // being redrawn because body text arrived).
  SearchBox.prototype.render = function (keep) {
    var self = this;
    var s = this.store;
    var result = search(s, this.query);
    var hits = result.hits;
    // Body text is needed for snippets and for pages that match only in their text: the
    // search page always loads it, the header box when the other fields leave room.
    if (!s.shardsWanted && (this.mode === "page" || hits.length < this.limit())) {
      loadShards(this.site);
    }
    var activeUrl = keep && this.active >= 0 && this.options[this.active]
      ? this.options[this.active].getAttribute("data-url")
      : null;
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    hits.slice(0, this.limit()).forEach(function (hit, i) {
      var li = document.createElement("li");
      li.className = "search-result";
      li.id = self.input.id + "-option-" + i;
      li.setAttribute("data-url", hit.page.url);
      var a = document.createElement("a");
      a.href = hrefOf(self.site, s.index, hit.page.url);
      if (self.combobox) {
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
      }
      var title = document.createElement("span");
      title.className = "search-result-title";
      title.appendChild(marked(hit.page.title, result.terms));
      a.appendChild(title);
      var snippet = snippetOf(hit, result.terms);
      if (snippet) {
        var p = document.createElement("span");
        p.className = "search-result-snippet";
        p.appendChild(marked(snippet, result.terms));
        a.appendChild(p);
      }
      if (hit.page.keywords.length) {
        var meta = document.createElement("span");
        meta.className = "search-result-meta";
        meta.appendChild(marked(hit.page.keywords.join(" · "), result.terms));
        a.appendChild(meta);
      }
      li.appendChild(a);
      li.addEventListener("pointermove", function () {
        if (self.active !== i) self.highlight(i);
      });
      self.list.appendChild(li);
      self.options.push(li);
      if (activeUrl && hit.page.url === activeUrl) self.active = i;
    });
    if (this.active >= 0) this.highlight(this.active);
    else this.unhighlight();
    this.describe(hits.length);
    this.open();
  };

  SearchBox.prototype.describe = function (n) {
    var s = this.store;
    var pending = s.shardsWanted && s.shardsLeft > 0;
    var text;
    if (n === 0) text = pending ? "Searching the full text…" : "No guides match “" + this.query + "”.";
    else {
      text = n === 1 ? "1 guide" : n + " guides";
      if (n > this.limit()) text += ", the best " + this.limit() + " shown";
      if (pending) text += " (searching the full text…)";
    }
    if (s.failed && !pending) text += " Part of the search index could not be loaded.";
    this.status.textContent = text;
    if (this.panel && n > this.limit()) {
      var more = document.createElement("a");
      more.className = "search-more";
      more.href = this.form.action + "?q=" + encodeURIComponent(this.query);
      more.textContent = "See all results";
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(more);
    }
  };

  SearchBox.prototype.fail = function () {
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    this.status.textContent =
      window.location.protocol === "file:"
        ? "Search needs the site to be served over HTTP: browsers do not let a page opened from a file load the search index."
        : "The search index could not be loaded.";
    this.open();
  };

  SearchBox.prototype.clear = function () {
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    this.status.textContent = "";
    this.unhighlight();
    this.close();
  };

  SearchBox.prototype.open = function () {
    if (this.panel) this.panel.hidden = false;
    if (this.combobox) this.input.setAttribute("aria-expanded", "true");
  };

  SearchBox.prototype.close = function () {
    if (this.panel) {
      this.panel.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
    }
  };

  SearchBox.prototype.highlight = function (i) {
    var combobox = this.combobox;
    this.options.forEach(function (li, k) {
      var on = k === i;
      li.classList.toggle("is-active", on);
      if (combobox) li.setAttribute("aria-selected", on ? "true" : "false");
    });
    this.active = i;
    var li = this.options[i];
    if (!li) {
      this.unhighlight();
      return;
    }
    if (combobox) this.input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  };

  SearchBox.prototype.unhighlight = function () {
    this.active = -1;
    this.options.forEach(function (li) {
      li.classList.remove("is-active");
    });
    this.input.removeAttribute("aria-activedescendant");
  };

  SearchBox.prototype.key = function (e) {
    var n = this.options.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n) return;
      e.preventDefault();
      this.open();
      var step = e.key === "ArrowDown" ? 1 : -1;
      var next = this.active + step;
      if (next >= n) next = 0;
      if (next < -1) next = n - 1;
      if (next === -1 && step > 0) next = 0;
      this.highlight(next);
    } else if (e.key === "Enter") {
      var li = this.options[this.active];
      if (li && !e.isComposing) {
        e.preventDefault();
        window.location.href = li.querySelector("a").href;
      }
    } else if (e.key === "Escape") {
      if (this.panel && !this.panel.hidden) {
        e.preventDefault();
        this.close();
      } else if (this.input.value) {
        e.preventDefault();
        this.input.value = "";
        this.run();
      }
    }
  };

  function init() {
    var forms = document.querySelectorAll("form[data-search]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector("input[name=q]")) new SearchBox(forms[i]);
    }
  }

  if (!window.fetch || !window.URLSearchParams) return;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
