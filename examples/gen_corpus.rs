//! Benchmark corpus generator: N Agile role guides of ~1,000 words each, in the shape of the
//! site's own content (see SPEC.md §10 and benches/compare.sh).
//!
//! ```text
//! cargo run --release --example gen_corpus -- N DIR [--seed S] [--hugo]
//! ```
//!
//! Writes a complete rolebook site into DIR (`site.yaml`, `content/<section>/_index.md`,
//! `content/roles/<role>.md` hubs, N articles spread over a few sections). With `--hugo` it
//! writes the same articles as a Hugo site instead (`hugo.toml`, the same YAML front matter,
//! `roles`/`tags` as taxonomies, layouts copied from `$HUGO_LAYOUTS`, by default
//! `benches/hugo-minimal/`).
//!
//! Every article has YAML front matter (title, date, description, 2–4 tags, 1–2 roles), 4–6
//! `##` sections with prose and lists, a table every few articles, occasional fenced code,
//! 1–3 `Read more: <Exact Title>` lines naming other generated guides, and an FAQ section.
//! Two-role articles get comparison sections whose bullets start with "The <Role>", so
//! rolebook's "at a glance" table is exercised too. Output is deterministic per seed (a
//! hand-written splitmix64; no dependencies). DIR must be empty or absent.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;

/// splitmix64: tiny, fast, good enough for text generation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ROLES: &[(&str, &str)] = &[
    ("product-owner", "Product Owner"),
    ("scrum-master", "Scrum Master"),
    ("developer", "Developer"),
    ("agile-coach", "Agile Coach"),
    ("release-train-engineer", "Release Train Engineer"),
    ("project-manager", "Project Manager"),
];

/// (folder, title, description, share of articles in percent)
const SECTIONS: &[(&str, &str, &str, u64)] = &[
    (
        "guides",
        "Guides",
        "Practical guides to the roles of Agile teams.",
        45,
    ),
    (
        "comparisons",
        "Comparisons",
        "Two roles side by side: who owns what.",
        20,
    ),
    (
        "certifications",
        "Certifications",
        "Certifications for every Agile role, compared.",
        15,
    ),
    (
        "careers",
        "Careers",
        "Growing into, between and beyond Agile roles.",
        10,
    ),
    (
        "practices",
        "Practices",
        "Events, artifacts and techniques, explained.",
        10,
    ),
];

const TAGS: &[&str] = &[
    "scrum",
    "kanban",
    "safe",
    "careers",
    "certification",
    "comparison",
    "coaching",
    "backlog",
    "estimation",
    "facilitation",
    "leadership",
    "metrics",
    "planning",
    "quality",
    "retrospectives",
    "roadmaps",
    "stakeholders",
    "teams",
    "tools",
    "scaling",
    "lean",
    "devops",
    "testing",
    "hiring",
    "interviews",
    "remote-work",
    "okrs",
    "budgeting",
    "governance",
    "risk",
];

const TOPICS: &[&str] = &[
    "Backlog Refinement",
    "Sprint Planning",
    "Daily Scrum",
    "Sprint Review",
    "Sprint Retrospective",
    "Stakeholder Management",
    "Release Planning",
    "PI Planning",
    "Definition of Done",
    "User Stories",
    "Estimation",
    "Velocity",
    "Flow Metrics",
    "Team Topologies",
    "Roadmaps",
    "Product Goals",
    "Impediments",
    "Facilitation",
    "Servant Leadership",
    "Conflict Resolution",
    "Technical Debt",
    "Continuous Delivery",
    "Test Automation",
    "Pair Programming",
    "Code Review",
    "Kanban Boards",
    "WIP Limits",
    "OKRs",
    "Budgeting",
    "Risk Management",
    "Dependencies",
    "Scaling Scrum",
    "Remote Teams",
    "Onboarding",
    "Hiring",
    "Interviews",
    "Career Paths",
    "Certification Exams",
    "Coaching Stances",
    "Value Streams",
    "Customer Feedback",
    "Prioritisation",
    "Forecasting",
    "Team Agreements",
    "Working Agreements",
    "Metrics",
];

const TITLE_FORMS: &[&str] = &[
    "The {R} and {T}: A Practical Guide",
    "{N} Ways a {R} Improves {T}",
    "{T} for the {R}: What Good Looks Like",
    "How the {R} Handles {T}",
    "{N} Mistakes a {R} Makes with {T}",
    "A {R}'s Checklist for {T}",
    "{T} Explained for New {R}s",
    "{N} Questions Every {R} Asks About {T}",
];

const COMPARE_FORMS: &[&str] = &[
    "{R} vs {S}: {N} Differences in {T}",
    "{R} or {S}: Who Owns {T}",
    "{R} and {S} Compared on {T}",
];

const CERT_FORMS: &[&str] = &[
    "{N} {T} Certifications for the {R}",
    "Is a {T} Certificate Worth It for a {R}",
    "Preparing the {R} Exam: {T} in {N} Weeks",
];

const SUBJECTS: &[&str] = &[
    "the team",
    "a good facilitator",
    "the organisation",
    "every stakeholder",
    "the backlog",
    "a cross-functional team",
    "the sprint goal",
    "leadership",
    "the product vision",
    "a healthy retrospective",
    "the release train",
    "each increment",
    "the customer",
    "a clear definition of done",
    "the roadmap",
    "our experience",
    "a mature team",
    "the coach",
    "the working agreement",
    "the delivery pipeline",
];

const VERBS: &[&str] = &[
    "supports",
    "clarifies",
    "shapes",
    "protects",
    "reveals",
    "challenges",
    "improves",
    "depends on",
    "reinforces",
    "simplifies",
    "measures",
    "balances",
    "encourages",
    "limits",
    "aligns",
    "exposes",
    "prioritises",
    "connects",
    "strengthens",
    "questions",
];

const OBJECTS: &[&str] = &[
    "the flow of work",
    "transparency",
    "shared ownership",
    "short feedback loops",
    "the value delivered each sprint",
    "team autonomy",
    "trust between roles",
    "predictable delivery",
    "the conversation with stakeholders",
    "technical excellence",
    "continuous improvement",
    "a sustainable pace",
    "the quality of decisions",
    "the visibility of risks",
    "learning from customers",
    "focus on outcomes",
    "collaboration across teams",
    "the cost of delay",
    "realistic forecasts",
    "psychological safety",
];

const CLAUSES: &[&str] = &[
    "when priorities change mid-sprint",
    "even in a large organisation",
    "without adding more meetings",
    "as the product grows",
    "once the team is stable",
    "long before the first release",
    "especially in regulated industries",
    "while dependencies are still unclear",
    "when several teams share one backlog",
    "after every increment",
    "during the first few sprints",
    "at the scale of a release train",
    "if leadership stays involved",
    "because nobody else owns it",
    "in most Scrum teams",
];

const OPENERS: &[&str] = &[
    "In practice,",
    "Over time,",
    "For most teams,",
    "In our experience,",
    "Put simply,",
    "At first,",
    "In the long run,",
    "Above all,",
    "Equally,",
    "On a good day,",
];

const LIST_ITEMS: &[&str] = &[
    "Keep the backlog ordered by value and risk",
    "Make impediments visible on the board",
    "Agree on a definition of done with the whole team",
    "Invite stakeholders to the sprint review",
    "Limit work in progress to keep flow smooth",
    "Timebox every event and respect the timebox",
    "Measure outcomes, not output",
    "Write acceptance criteria together",
    "Pair on the hardest stories",
    "Automate the tests that run every day",
    "Review the working agreement each quarter",
    "Share forecasts as ranges, not dates",
    "Protect the team from mid-sprint scope changes",
    "Coach rather than instruct",
    "Close every retrospective with one concrete action",
];

const QUESTIONS: &[&str] = &[
    "Can one person be both {R} and {S}?",
    "How long does it take to become a {R}?",
    "Does a {R} need a technical background?",
    "What does a {R} do during {T}?",
    "Who decides when {T} is good enough?",
    "Is {T} still useful for remote teams?",
    "How do you measure the success of a {R}?",
    "What is the most common mistake with {T}?",
];

const ASPECTS: &[&str] = &[
    "Accountability",
    "Daily Focus",
    "Stakeholders",
    "Decision Making",
    "Success Measures",
    "Typical Background",
    "Tools",
    "Career Path",
    "Time Horizon",
    "Relationship with the Team",
];

struct Article {
    section: usize,
    slug: String,
    title: String,
    roles: Vec<usize>,
    topic: usize,
}

fn fill(form: &str, r: &str, s: &str, t: &str, n: usize) -> String {
    form.replace("{R}", r)
        .replace("{S}", s)
        .replace("{T}", t)
        .replace("{N}", &n.to_string())
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn normalise(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(rng: &mut Rng, roles: &[usize]) -> String {
    let mut s = String::new();
    if rng.chance(30) {
        s.push_str(rng.pick(OPENERS));
        s.push(' ');
    }
    let subject: String = if rng.chance(35) {
        format!("the {}", ROLES[rng.pick(roles)].1)
    } else {
        rng.pick(SUBJECTS).to_string()
    };
    s.push_str(&subject);
    s.push(' ');
    s.push_str(rng.pick(VERBS));
    s.push(' ');
    s.push_str(rng.pick(OBJECTS));
    if rng.chance(60) {
        s.push(' ');
        s.push_str(rng.pick(CLAUSES));
    }
    if rng.chance(25) {
        s.push_str(", and ");
        s.push_str(rng.pick(SUBJECTS));
        s.push(' ');
        s.push_str(rng.pick(VERBS));
        s.push(' ');
        s.push_str(rng.pick(OBJECTS));
    }
    s.push('.');
    // Capitalise the first letter.
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

fn paragraph(rng: &mut Rng, roles: &[usize], sentences: usize) -> (String, usize) {
    let mut p = String::new();
    let mut words = 0;
    for i in 0..sentences {
        if i > 0 {
            p.push(' ');
        }
        let s = sentence(rng, roles);
        words += s.split_whitespace().count();
        p.push_str(&s);
    }
    (p, words)
}

fn front_matter(out: &mut String, a: &Article, rng: &mut Rng, desc: &str, tags: &[&str]) {
    let roles: Vec<&str> = a.roles.iter().map(|&r| ROLES[r].0).collect();
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "title: \"{}\"", a.title);
    let _ = writeln!(
        out,
        "date: {}-{:02}-{:02}",
        rng.range(2019, 2025),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let _ = writeln!(out, "description: \"{desc}\"");
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    let _ = writeln!(out, "roles: [{}]", roles.join(", "));
    let _ = writeln!(out, "---\n");
}

fn article_text(a: &Article, all: &[Article], idx: usize, rng: &mut Rng) -> String {
    let topic = TOPICS[a.topic];
    let role_names: Vec<&str> = a.roles.iter().map(|&r| ROLES[r].1).collect();
    let desc = format!(
        "What the {} {} to know about {}: responsibilities, pitfalls and practical advice.",
        role_names.join(" and the "),
        if role_names.len() > 1 {
            "need"
        } else {
            "needs"
        },
        topic.to_lowercase()
    );
    let ntags = rng.range(2, 4);
    let mut tags: Vec<&str> = Vec::new();
    while tags.len() < ntags {
        let t = rng.pick(TAGS);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let mut out = String::with_capacity(8 * 1024);
    front_matter(&mut out, a, rng, &desc, &tags);

    let mut words = 0usize;
    let k = rng.range(4, 6);
    let (p, w) = paragraph(rng, &a.roles, k);
    words += w;
    out.push_str(&p);
    out.push_str("\n\n");

    // Read-more targets: other articles, chosen up front, placed after random sections.
    let nread = rng.range(1, 3);
    let mut reads: Vec<usize> = Vec::new();
    while reads.len() < nread.min(all.len().saturating_sub(1)) {
        let j = rng.range(0, all.len() - 1);
        if j != idx && !reads.contains(&j) {
            reads.push(j);
        }
    }

    let nsections = rng.range(4, 6);
    let comparison = a.roles.len() == 2;
    let mut aspects: Vec<&str> = ASPECTS.to_vec();
    for s in 0..nsections {
        // A comparison article's first three sections are numbered comparison sections.
        if comparison && s < 3 {
            let k = rng.range(0, aspects.len() - 1);
            let aspect = aspects.remove(k);
            let _ = writeln!(out, "## {}. {}\n", s + 1, aspect);
            let (p, w) = paragraph(rng, &a.roles, 2);
            words += w;
            out.push_str(&p);
            out.push_str("\n\n");
            for &r in &a.roles {
                let (p, w) = paragraph(rng, &a.roles, 2);
                words += w + 3;
                let possessive = rng.chance(30);
                let name = ROLES[r].1;
                let first = p.chars().next().unwrap().to_lowercase().to_string() + &p[1..];
                if possessive {
                    let _ = writeln!(out, "- The {name}'s focus here: {first}");
                } else {
                    let _ = writeln!(out, "- The {name} owns this part: {first}");
                }
            }
            out.push('\n');
        } else {
            let heading = format!(
                "{} and {}",
                rng.pick(TOPICS),
                rng.pick(ASPECTS).to_lowercase()
            );
            let _ = writeln!(out, "## {heading}\n");
            for _ in 0..rng.range(2, 3) {
                let k = rng.range(3, 5);
                let (p, w) = paragraph(rng, &a.roles, k);
                words += w;
                out.push_str(&p);
                out.push_str("\n\n");
            }
            if rng.chance(60) {
                let ordered = rng.chance(40);
                for i in 0..rng.range(3, 6) {
                    let item = rng.pick(LIST_ITEMS);
                    words += item.split_whitespace().count();
                    if ordered {
                        let _ = writeln!(out, "{}. {item}.", i + 1);
                    } else {
                        let _ = writeln!(out, "- {item}.");
                    }
                }
                out.push('\n');
            }
        }
        if s == 1 && idx.is_multiple_of(4) {
            // A table every few articles.
            out.push_str("| Aspect | Focus | Typical cadence |\n|---|---|---|\n");
            for _ in 0..rng.range(3, 5) {
                let _ = writeln!(
                    out,
                    "| {} | {} | every {} weeks |",
                    rng.pick(ASPECTS),
                    rng.pick(OBJECTS),
                    rng.range(1, 6)
                );
                words += 8;
            }
            out.push('\n');
        }
        if s == 2 && idx % 7 == 3 {
            if rng.chance(50) {
                let _ = writeln!(
                    out,
                    "```yaml\nsprint:\n  length_days: {}\n  goal: \"{}\"\n  team:\n    - {}\n    - developer\n  wip_limit: {}\n```\n",
                    rng.range(5, 15),
                    rng.pick(OBJECTS),
                    ROLES[a.roles[0]].0,
                    rng.range(2, 6)
                );
            } else {
                let _ = writeln!(
                    out,
                    "```text\nBacklog  -> Ready -> In progress ({}) -> Review -> Done\nOwner:   {}\n```\n",
                    rng.range(2, 6),
                    ROLES[a.roles[0]].1
                );
            }
        }
        if let Some(&j) = reads.get(s) {
            let _ = writeln!(out, "Read more: {}\n", all[j].title);
        }
    }
    // Any read-more lines left (more targets than sections) go before the FAQ.
    for &j in reads.iter().skip(nsections) {
        let _ = writeln!(out, "Read more: {}\n", all[j].title);
    }

    // Top the last section up to ~760 words so the FAQ stays a short 2-4 questions.
    while words < 760 {
        let k = rng.range(3, 5);
        let (p, w) = paragraph(rng, &a.roles, k);
        words += w;
        out.push_str(&p);
        out.push_str("\n\n");
    }
    let nfaq = rng.range(2, 4);
    out.push_str("## Frequently Asked Questions\n\n");
    let other = if comparison {
        ROLES[a.roles[1]].1
    } else {
        ROLES[(a.roles[0] + 1) % ROLES.len()].1
    };
    let mut asked: Vec<&str> = Vec::new();
    while asked.len() < nfaq {
        let q = rng.pick(QUESTIONS);
        if asked.contains(&q) {
            continue;
        }
        asked.push(q);
        let _ = writeln!(
            out,
            "### {}\n",
            fill(q, role_names[0], other, &topic.to_lowercase(), 0)
        );
        let k = rng.range(2, 4);
        let (p, w) = paragraph(rng, &a.roles, k);
        words += w + 8;
        out.push_str(&p);
        out.push_str("\n\n");
    }
    let _ = words;
    out.replace(" a Agile", " an Agile")
        .replace("A Agile", "An Agile")
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus N DIR [--seed S] [--hugo]");
    exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed: u64 = 42;
    let mut hugo = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                i += 1;
                seed = args
                    .get(i)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage());
            }
            "--hugo" => hugo = true,
            "-h" | "--help" => usage(),
            s => positional.push(s.to_string()),
        }
        i += 1;
    }
    if positional.len() != 2 {
        usage();
    }
    let n: usize = positional[0].parse().unwrap_or_else(|_| usage());
    let dir = PathBuf::from(&positional[1]);
    if dir.exists()
        && fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("gen_corpus: {} is not empty", dir.display());
        exit(2);
    }

    // Plan every article first (titles must be known for Read-more lines).
    let mut rng = Rng(seed);
    let mut articles: Vec<Article> = Vec::with_capacity(n);
    let mut titles: HashSet<String> = HashSet::new();
    let mut slugs: HashSet<(usize, String)> = HashSet::new();
    let total_share: u64 = SECTIONS.iter().map(|s| s.3).sum();
    for k in 0..n {
        let mut roll = rng.next() % total_share;
        let mut section = 0;
        for (i, s) in SECTIONS.iter().enumerate() {
            if roll < s.3 {
                section = i;
                break;
            }
            roll -= s.3;
        }
        let r = rng.range(0, ROLES.len() - 1);
        let mut roles = vec![r];
        let compare = SECTIONS[section].0 == "comparisons" || rng.chance(15);
        if compare {
            let mut s = rng.range(0, ROLES.len() - 1);
            while s == r {
                s = rng.range(0, ROLES.len() - 1);
            }
            roles.push(s);
        }
        let topic = rng.range(0, TOPICS.len() - 1);
        let forms = if roles.len() == 2 {
            COMPARE_FORMS
        } else if SECTIONS[section].0 == "certifications" {
            CERT_FORMS
        } else {
            TITLE_FORMS
        };
        let base = fill(
            rng.pick(forms),
            ROLES[roles[0]].1,
            ROLES[*roles.last().unwrap()].1,
            TOPICS[topic],
            rng.range(3, 12),
        );
        // Titles must be unique after normalisation; add a volume number when taken.
        let base = base
            .replace(" a Agile", " an Agile")
            .replace("A Agile", "An Agile");
        let mut title = base.clone();
        let mut vol = 2;
        while titles.contains(&normalise(&title)) {
            title = format!("{base}, Part {vol}");
            vol += 1;
        }
        titles.insert(normalise(&title));
        let mut slug = slugify(&title);
        if slugs.contains(&(section, slug.clone())) {
            slug = format!("{slug}-{k}");
        }
        slugs.insert((section, slug.clone()));
        articles.push(Article {
            section,
            slug,
            title,
            roles,
            topic,
        });
    }

    let content = dir.join("content");
    for (name, title, desc, _) in SECTIONS {
        mkdir(&content.join(name));
        write(
            &content.join(name).join("_index.md"),
            &format!("---\ntitle: \"{title}\"\ndescription: \"{desc}\"\n---\n\n{desc}\n"),
        );
    }
    for (slug, name) in ROLES {
        let mut text = format!(
            "---\ntitle: \"{name}\"\ndescription: \"What the {name} does, and every guide about the role.\"\n---\n\n"
        );
        let (p, _) = paragraph(
            &mut rng,
            &[ROLES.iter().position(|r| r.0 == *slug).unwrap()],
            5,
        );
        text.push_str(&p);
        text.push('\n');
        if hugo {
            // Hugo: a taxonomy term's own page is content/roles/<term>/_index.md.
            mkdir(&content.join("roles").join(slug));
            write(&content.join("roles").join(slug).join("_index.md"), &text);
        } else {
            mkdir(&content.join("roles"));
            write(&content.join("roles").join(format!("{slug}.md")), &text);
        }
    }
    if !hugo {
        write(
            &content.join("roles").join("_index.md"),
            "---\ntitle: \"Roles\"\ndescription: \"Every role covered on this site.\"\n---\n\nPick a role.\n",
        );
    }
    for idx in 0..articles.len() {
        // A per-article generator, so an article's text does not depend on generation order.
        let mut arng = Rng(seed ^ (idx as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let text = article_text(&articles[idx], &articles, idx, &mut arng);
        let a = &articles[idx];
        write(
            &content
                .join(SECTIONS[a.section].0)
                .join(format!("{}.md", a.slug)),
            &text,
        );
    }

    if hugo {
        write(
            &dir.join("hugo.toml"),
            "baseURL = 'https://example.org/'\n\
             title = 'Agile Role Guides'\n\
             locale = 'en'\n\
             disableKinds = []\n\
             enableRobotsTXT = true\n\
             [pagination]\n  pagerSize = 20\n\
             [outputs]\n  home = ['html', 'rss']\n  section = ['html']\n  taxonomy = ['html']\n  term = ['html']\n\
             [taxonomies]\n  role = 'roles'\n  tag = 'tags'\n\
             [markup.highlight]\n  noClasses = false\n\
             [related]\n  includeNewer = true\n  threshold = 80\n  toLower = true\n\
             [[related.indices]]\n  name = 'roles'\n  weight = 100\n\
             [[related.indices]]\n  name = 'tags'\n  weight = 80\n",
        );
        // The layouts live in the repository; run from its root, or built by cargo.
        let layouts = std::env::var_os("HUGO_LAYOUTS")
            .map(PathBuf::from)
            .or_else(|| {
                option_env!("CARGO_MANIFEST_DIR").map(|d| Path::new(d).join("benches/hugo-minimal"))
            })
            .unwrap_or_else(|| PathBuf::from("benches/hugo-minimal"));
        copy_dir(&layouts, &dir.join("layouts"));
    } else {
        write(
            &dir.join("site.yaml"),
            "title: Agile Role Guides\nbase_url: https://example.org/\n\
             description: Benchmark corpus of Agile role guides\n\
             author: Benchmark\nlanguage: en\ntaxonomies: [roles, tags]\n",
        );
    }
    eprintln!(
        "gen_corpus: {} articles in {} ({})",
        n,
        dir.display(),
        if hugo { "hugo" } else { "rolebook" }
    );
}

fn mkdir(p: &Path) {
    fs::create_dir_all(p).unwrap_or_else(|e| {
        eprintln!("gen_corpus: cannot create {}: {e}", p.display());
        exit(1)
    });
}

fn write(p: &Path, text: &str) {
    fs::write(p, text).unwrap_or_else(|e| {
        eprintln!("gen_corpus: cannot write {}: {e}", p.display());
        exit(1)
    });
}

fn copy_dir(from: &Path, to: &Path) {
    mkdir(to);
    let entries = fs::read_dir(from).unwrap_or_else(|e| {
        eprintln!("gen_corpus: cannot read {}: {e}", from.display());
        exit(1)
    });
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap_or_else(|err| {
                eprintln!("gen_corpus: cannot copy {}: {err}", p.display());
                exit(1)
            });
        }
    }
}
