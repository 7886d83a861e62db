//! Where each top-level key of a YAML or TOML block sits, found by scanning its lines, so
//! diagnostics about a key can name its line even when the YAML library gives no location.

use std::collections::HashMap;

/// 1-based (line, column) of each top-level key, relative to the block's first line.
pub fn key_lines(text: &str, toml: bool) -> HashMap<String, (usize, usize)> {
    let mut out = HashMap::new();
    let mut in_table = false;
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if toml && line.starts_with('[') {
            in_table = true;
            continue;
        }
        if in_table {
            continue;
        }
        let sep = if toml { '=' } else { ':' };
        if let Some(pos) = line.find(sep) {
            let key = line[..pos].trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                out.entry(key.to_string()).or_insert((i + 1, 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys() {
        let k = key_lines("title: x\ntags:\n  - a\ndate: 2024-01-01\n", false);
        assert_eq!(k["title"], (1, 1));
        assert_eq!(k["date"], (4, 1));
        assert!(!k.contains_key("a"));
    }

    #[test]
    fn toml_keys() {
        let k = key_lines("title = \"x\"\n[extra]\nfoo = 1\n", true);
        assert_eq!(k["title"], (1, 1));
        assert!(!k.contains_key("foo"));
    }
}
