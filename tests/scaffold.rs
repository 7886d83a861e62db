//! `rolebook init` and `rolebook new` run as a user would, and code highlighting seen in the
//! built HTML.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};

fn rolebook() -> Command {
    let mut cmd = Command::cargo_bin("rolebook").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// A new site in `<tmp>/site`, created by `rolebook init`.
fn init_site(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    rolebook().arg("init").arg(&site).assert().success();
    site
}

fn build(site: &Path) {
    rolebook()
        .args(["build", "--root"])
        .arg(site)
        .assert()
        .success();
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(p.clone(), Vec::new());
                stack.push(p);
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The built file an internal href points at (`/guides/x/#a` → `output/guides/x/index.html`).
fn target_of(output: &Path, href: &str) -> Option<PathBuf> {
    let path = href.strip_prefix("https://example.org").unwrap_or(href);
    let path = path.split(['#', '?']).next()?.strip_prefix('/')?;
    let file = if path.is_empty() || path.ends_with('/') {
        output.join(path).join("index.html")
    } else {
        output.join(path)
    };
    Some(file)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn init_then_build_gives_three_linked_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    for f in [
        "site.yaml",
        "README.md",
        ".gitignore",
        "content/guides/_index.md",
        "content/roles/product-owner.md",
        "content/roles/scrum-master.md",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
    }
    build(&site);

    let output = site.join("output");
    let articles: Vec<PathBuf> = fs::read_dir(output.join("guides"))
        .unwrap()
        .map(|e| e.unwrap().path().join("index.html"))
        .filter(|p| p.is_file())
        .collect();
    assert!(articles.len() >= 3, "{articles:?}");

    let (mut cards, mut links) = (0, 0);
    for page in &articles {
        let html = Html::parse_document(&fs::read_to_string(page).unwrap());
        for a in html.select(&sel("aside.read-more a[href]")) {
            cards += 1;
            let href = a.value().attr("href").unwrap_or("");
            let target = target_of(&output, href).unwrap_or_default();
            assert!(target.is_file(), "card {href} in {page:?} points nowhere");
        }
        for a in html.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap_or("");
            if href.contains("/guides/") || href.contains("/roles/") {
                links += 1;
                let target = target_of(&output, href).unwrap_or_default();
                assert!(target.is_file(), "link {href} in {page:?} points nowhere");
            }
        }
    }
    assert!(cards >= 2, "expected read-more cards, found {cards}");
    assert!(links >= 6, "expected cross-links, found {links}");

    let compare =
        fs::read_to_string(output.join("guides/product-owner-vs-scrum-master/index.html")).unwrap();
    assert!(compare.contains("Can one person be both the Product Owner and the Scrum Master?"));
}

#[test]
fn init_refuses_a_non_empty_folder_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    fs::create_dir(tmp.path().join("content")).unwrap();
    fs::write(tmp.path().join("content/draft.md"), "also mine").unwrap();
    let before = snapshot(tmp.path());

    let out = rolebook().arg("init").arg(tmp.path()).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn init_defaults_to_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = rolebook()
        .arg("init")
        .current_dir(tmp.path())
        .assert()
        .success();
    assert!(tmp.path().join("site.yaml").is_file());
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("rolebook serve"), "{stdout}");
}

#[test]
fn new_writes_front_matter_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let title = "Scrum Master vs Agile Coach: \"Who\" Helps Whom?";
    let new = |site: &Path| {
        let mut cmd = rolebook();
        cmd.args([
            "new",
            title,
            "--role",
            "scrum-master",
            "--tag",
            "comparison",
        ])
        .arg("--root")
        .arg(site);
        cmd
    };
    new(&site).assert().success();

    let file = site.join("content/guides/scrum-master-vs-agile-coach-who-helps-whom.md");
    let text = fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"));
    let front: Vec<&str> = lines.take_while(|l| *l != "---").collect();
    let meta = rolebook::yaml::parse(&front.join("\n")).unwrap();
    assert_eq!(meta["title"], title);
    assert_eq!(meta["roles"][0], "scrum-master");
    assert_eq!(meta["tags"][0], "comparison");
    assert_eq!(meta["draft"], false);
    assert!(meta["date"].as_str().is_some_and(|d| d.len() == 10));

    build(&site);
    assert!(
        site.join("output/guides/scrum-master-vs-agile-coach-who-helps-whom/index.html")
            .is_file()
    );

    let out = new(&site).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn new_outside_a_site_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = rolebook()
        .args(["new", "Anything", "--root"])
        .arg(tmp.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("site.yaml"), "{stderr}");
    assert!(snapshot(tmp.path()).is_empty());
}

#[test]
fn new_without_a_title_is_a_usage_error() {
    rolebook().arg("new").assert().code(2);
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    fs::write(
        site.join("content/guides/code.md"),
        "---\ntitle: Code Samples\n---\n\nSome words.\n\n\
         ```rust\nfn main() { println!(\"<hi>\"); }\n```\n\n\
         ```nosuchlang\nif a < b && c { go }\n```\n",
    )
    .unwrap();
    build(&site);

    let raw = fs::read_to_string(site.join("output/guides/code/index.html")).unwrap();
    let html = Html::parse_document(&raw);
    let rust = html
        .select(&sel("pre.code[data-lang=rust] > code.language-rust"))
        .next()
        .expect("a highlighted rust block");
    let spans: Vec<_> = rust.select(&sel("span")).collect();
    assert!(!spans.is_empty(), "{raw}");
    for s in &spans {
        let class = s.value().attr("class").unwrap_or("");
        assert!(class.starts_with("hl-"), "span class {class:?}");
        assert!(s.value().attr("style").is_none());
    }
    assert!(
        rust.text()
            .collect::<String>()
            .contains("println!(\"<hi>\")")
    );

    let plain = html
        .select(&sel(
            "pre.code[data-lang=nosuchlang] > code.language-nosuchlang",
        ))
        .next()
        .expect("a plain nosuchlang block");
    assert_eq!(plain.select(&sel("*")).count(), 0, "no markup inside");
    assert_eq!(plain.text().collect::<String>(), "if a < b && c { go }\n");
    assert!(raw.contains("if a &lt; b &amp;&amp; c { go }"));
}
