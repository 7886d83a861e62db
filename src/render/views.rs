//! A page's template values (its listing view and its link view) built field by field: the same
//! values as `Value::from_serializable` gives, without serde's work per field, each list of
//! term links made once per page and each term's value once per build, shared by every page.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tera::{Map, Value};

use super::context::{PageRef, TermRef};

/// The value of every term the pages name, by term path: a term shown by thousands of pages
/// is one map they all point to, not a map each.
#[derive(Default)]
pub struct Terms(FxHashMap<String, Value>);

impl Terms {
    /// The terms of `pages`.
    pub fn of<'a>(pages: impl IntoIterator<Item = &'a Arc<PageRef>>) -> Terms {
        let mut map = FxHashMap::default();
        for t in pages
            .into_iter()
            .flat_map(|r| r.taxonomies.values().flatten())
        {
            if !map.contains_key(&t.path) {
                map.insert(t.path.clone(), term(t));
            }
        }
        Terms(map)
    }

    fn get(&self, t: &TermRef) -> Value {
        self.0.get(&t.path).cloned().unwrap_or_else(|| term(t))
    }
}

/// The listing view (`PageRef`) and the link view (`PageLink`) of a page.
pub fn of(r: &PageRef, shared: &Terms) -> (Value, Value) {
    let terms =
        |list: &[TermRef]| Value::from(list.iter().map(|t| shared.get(t)).collect::<Vec<_>>());
    let roles = terms(&r.roles);
    let tags = terms(&r.tags);
    let date = optional(r.date.as_deref());
    let mut taxonomies = Map::with_capacity_and_hasher(r.taxonomies.len(), Default::default());
    for (name, list) in &r.taxonomies {
        let value = match name.as_str() {
            "roles" if *list == r.roles => roles.clone(),
            "tags" if *list == r.tags => tags.clone(),
            _ => terms(list),
        };
        taxonomies.insert(name.as_str().to_owned().into(), value);
    }

    let mut full = Map::with_capacity_and_hasher(20, Default::default());
    let mut put = |k: &'static str, v: Value| {
        full.insert(k.into(), v);
    };
    put("title", text(&r.title));
    put("description", text(&r.description));
    put("path", text(&r.path));
    put("permalink", text(&r.permalink));
    put("section", text(&r.section));
    put("date", date.clone());
    put("date_iso", optional(r.date_iso.as_deref()));
    put("updated", optional(r.updated.as_deref()));
    put("updated_iso", optional(r.updated_iso.as_deref()));
    put("weight", r.weight.map_or_else(Value::none, Value::from));
    put("draft", Value::from(r.draft));
    put("word_count", Value::from(r.word_count));
    put("reading_time", Value::from(r.reading_time));
    put("summary", text(&r.summary));
    put("summary_html", text(&r.summary_html));
    put("roles", roles.clone());
    put("tags", tags.clone());
    put("taxonomies", Value::from(taxonomies));
    put("extra", Value::from_serializable(&r.extra));

    let mut link = Map::with_capacity_and_hasher(8, Default::default());
    let mut put = |k: &'static str, v: Value| {
        link.insert(k.into(), v);
    };
    put("title", full_field(&full, "title"));
    put("description", full_field(&full, "description"));
    put("path", full_field(&full, "path"));
    put("permalink", full_field(&full, "permalink"));
    put("date", date);
    put("reading_time", Value::from(r.reading_time));
    put("roles", roles);
    put("tags", tags);
    (Value::from(full), Value::from(link))
}

fn term(t: &TermRef) -> Value {
    let mut m = Map::with_capacity_and_hasher(3, Default::default());
    m.insert("name".into(), text(&t.name));
    m.insert("slug".into(), text(&t.slug));
    m.insert("path".into(), text(&t.path));
    Value::from(m)
}

fn text(s: &str) -> Value {
    Value::from(s)
}

fn optional(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

/// A field already in `full` (its string shared, not copied again).
fn full_field(full: &Map, key: &'static str) -> Value {
    full.get(&tera::value::Key::Str(key))
        .cloned()
        .unwrap_or_else(Value::none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn term(tax: &str, slug: &str) -> TermRef {
        TermRef {
            name: crate::slug::title_case(slug),
            slug: slug.into(),
            path: format!("{tax}/{slug}/"),
        }
    }

    fn page(dated: bool, extra: bool, weight: Option<i64>) -> PageRef {
        let roles = vec![
            term("roles", "scrum-master"),
            term("roles", "product-owner"),
        ];
        let tags = vec![term("tags", "flow")];
        let mut taxonomies = BTreeMap::new();
        taxonomies.insert("roles".to_string(), roles.clone());
        taxonomies.insert("tags".to_string(), tags.clone());
        taxonomies.insert("levels".to_string(), vec![term("levels", "advanced")]);
        let mut extra_map = serde_json::Map::new();
        if extra {
            extra_map.insert(
                "subtitle".into(),
                serde_json::json!("A longer subtitle than 21"),
            );
            extra_map.insert("n".into(), serde_json::json!(-3));
            extra_map.insert("list".into(), serde_json::json!([1, "two", null, 2.5]));
        }
        PageRef {
            title: "Product Owner vs Scrum Master: Who Owns What".into(),
            description: "Short".into(),
            path: "comparisons/product-owner-vs-scrum-master/".into(),
            permalink: "https://example.org/comparisons/product-owner-vs-scrum-master/".into(),
            section: "comparisons".into(),
            date: dated.then(|| "2026-03-04".into()),
            date_iso: dated.then(|| "2026-03-04T00:00:00+00:00".into()),
            updated: None,
            updated_iso: None,
            weight,
            draft: false,
            word_count: 1234,
            reading_time: 6,
            summary: "The summary & more".into(),
            summary_html: "<p>The summary &amp; more</p>".into(),
            roles,
            tags,
            taxonomies,
            extra: extra_map,
            hash: 0,
            link_hash: 0,
            feed_hash: 0,
            index_hash: 0,
        }
    }

    #[test]
    fn the_views_are_what_serde_makes_of_the_page() {
        for p in [
            page(true, true, Some(-2)),
            page(false, false, None),
            page(true, false, Some(7)),
        ] {
            let shared = Terms::of([&Arc::new(p.clone())]);
            for terms in [&shared, &Terms::default()] {
                let (full, link) = of(&p, terms);
                assert_eq!(full, Value::from_serializable(&p));
                assert_eq!(link, Value::from_serializable(&p.link()));
            }
        }
    }
}
