//! Which files rolebook never reads: dotfiles and the temporary files editors leave behind.

/// True for names like `.git`, `.#x.md`, `x.md~`, `.x.md.swp`, `#x.md#`, `.goutputstream-AB12`.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".crdownload")
        || name == "4913"
        || name == "Thumbs.db"
}

#[cfg(test)]
mod tests {
    use super::is_ignored;

    #[test]
    fn editor_files() {
        for n in [
            ".#x.md",
            "x.md~",
            ".x.md.swp",
            ".goutputstream-XYZ",
            "#x.md#",
            ".DS_Store",
        ] {
            assert!(is_ignored(n), "{n}");
        }
        for n in ["x.md", "_index.md", "diagram.png"] {
            assert!(!is_ignored(n), "{n}");
        }
    }
}
