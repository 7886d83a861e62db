//! rolebook: a static site generator for Agile role guides. Markdown articles with front
//! matter go in; a complete static site with resolved cross-links comes out.
//!
//! The pipeline runs in one direction: [`load`] (config, content, front matter) →
//! [`resolve`] (URLs, sections, taxonomies, link index) → [`render`] (Markdown, templates) →
//! [`write`] (atomic swap). [`build`] is the only orchestrator.

pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod suggest;
pub mod urls;
pub mod words;
pub mod write;
pub mod yaml;
