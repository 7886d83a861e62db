//! Random body edits, one or two files a batch, on a small site whose pages link to each other
//! every way an author can (cards, fragment links, wiki links) and compare roles: after every
//! rebuild, the accumulated output and the diagnostics equal a fresh build's.

mod common;

use common::Site;
use common::mirror::Mirror;
use rolebook::build::{BuildOptions, Change, Session};

const PAGES: usize = 8;
const SEEDS: u64 = 8;
const STEPS: usize = 15;

fn session(site: &Site) -> Session {
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    Session::new(opts).unwrap_or_else(|d| panic!("{:?}", d.sorted()))
}

/// A small linear congruential generator: the same edits for the same seed, no dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn file(i: usize) -> String {
    let section = if i.is_multiple_of(2) {
        "guides"
    } else {
        "notes"
    };
    format!("content/{section}/p{i}.md")
}

fn front_matter(i: usize) -> String {
    let roles = match i % 3 {
        0 => "roles: [scrum-master, product-owner]\n",
        1 => "roles: [scrum-master]\n",
        _ => "",
    };
    format!(
        "---\ntitle: Page {i}\ndate: 2026-01-{:02}\n{roles}tags: [t{}]\n---\n",
        i + 1,
        i % 3
    )
}

/// A body of varying length (reading times change), headings that come and go (fragment
/// links break and mend), bullets for the comparison tables, and links of every kind.
fn body(rng: &mut Lcg, i: usize) -> String {
    let mut b = format!(
        "Page {i} begins {}.\n\n",
        "word ".repeat(rng.below(3) * 120 + 1)
    );
    for heading in ["Setup", "Focus", "Usage"] {
        if heading == "Setup" || rng.below(2) == 0 {
            b += &format!(
                "## {heading}\n\n- The Scrum Master does {}.\n- The Product Owner decides.\n\n",
                rng.below(5)
            );
        }
    }
    for _ in 0..rng.below(3) {
        let j = rng.below(PAGES);
        if j == i {
            continue;
        }
        b += &match rng.below(4) {
            0 => format!("Read more: Page {j}\n\n"),
            1 => format!(
                "See [the setup](@/{}#setup).\n\n",
                &file(j)["content/".len()..]
            ),
            2 => format!(
                "See [the usage](@/{}#usage).\n\n",
                &file(j)["content/".len()..]
            ),
            _ => format!("See [[Page {j}]].\n\n"),
        };
    }
    b + &"more ".repeat(rng.below(4) * 100)
}

#[test]
fn random_body_edits_give_what_a_fresh_build_gives() {
    for seed in 1..=SEEDS {
        let mut rng = Lcg(seed);
        let mut site = Site::new()
            .file(
                "site.yaml",
                "title: R\nbase_url: https://example.org/\npaginate: 2\n",
            )
            .file(
                "content/notes/_index.md",
                "---\ntitle: Notes\n---\nRead more: Page 1\n",
            )
            .file(
                "content/roles/scrum-master.md",
                "---\ntitle: Scrum Master\n---\nRead more: Page 2\n",
            );
        for i in 0..PAGES {
            site = site.file(&file(i), front_matter(i) + &body(&mut rng, i));
        }
        let mut s = session(&site);
        let mut mirror = Mirror::new(site.root());
        s.rebuild();
        for step in 0..STEPS {
            let mut paths = Vec::new();
            for _ in 0..=rng.below(2) {
                let i = rng.below(PAGES);
                let path = site.path(&file(i));
                std::fs::write(&path, front_matter(i) + &body(&mut rng, i)).unwrap();
                paths.push(path);
            }
            s.apply(&[Change::Content(paths)])
                .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
            let report = s.rebuild();
            mirror.take_and_check(report, site.root(), &format!("seed {seed}, step {step}"));
        }
    }
}
