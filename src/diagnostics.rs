//! One diagnostic type for every stage (file, line, column, severity, message, help),
//! collected per build, sorted like rustc does, and printed with the source line underlined.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// How bad a diagnostic is: errors fail the build (exit 1), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in a user's files, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/guides/x.md`).
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// How many characters to underline from `column` (0: to the end of the word).
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: None,
            line: None,
            column: None,
            len: 0,
            message: message.into(),
            help: None,
        }
    }

    /// Names the file (relative to the site root).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Places the diagnostic at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    /// Underlines `len` characters from the column.
    pub fn spanning(mut self, len: usize) -> Self {
        self.len = len;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        })
    }

    fn sort_key(&self) -> (bool, &str, usize, usize, Severity, &str) {
        (
            self.file.is_some(),
            self.file.as_deref().unwrap_or(""),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    /// The plain one-line form: `error: content/x.md:3:7: message (help: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{sev}: {loc}: {}", self.message)?,
            None => write!(f, "{sev}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// All diagnostics of one build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then line, then column; duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Prints diagnostics to stderr with the offending source line underlined.
pub struct Printer<'a> {
    root: &'a Path,
    color: bool,
}

impl<'a> Printer<'a> {
    pub fn new(root: &'a Path, color: bool) -> Self {
        Printer { root, color }
    }

    pub fn print(&self, diags: &[Diagnostic]) {
        let stderr = std::io::stderr();
        let mut lock = stderr.lock();
        let choice = if self.color {
            termcolor::ColorChoice::Always
        } else {
            termcolor::ColorChoice::Never
        };
        let mut out = termcolor::StandardStream::stderr(choice);
        let mut sources = Sources::default();
        for d in diags {
            if self.emit(&mut out, &mut sources, d).is_err() {
                let _ = writeln!(lock, "{d}");
            }
        }
    }

    /// Renders one diagnostic to a string without colours (used for the serve overlay and tests).
    pub fn render_plain(&self, d: &Diagnostic) -> String {
        let mut buf = termcolor::NoColor::new(Vec::new());
        match self.emit(&mut buf, &mut Sources::default(), d) {
            Ok(()) => String::from_utf8_lossy(&buf.into_inner()).into_owned(),
            Err(_) => format!("{d}\n"),
        }
    }

    fn emit(
        &self,
        out: &mut dyn termcolor::WriteColor,
        sources: &mut Sources,
        d: &Diagnostic,
    ) -> Result<(), ()> {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut message = d.message.clone();
        let mut notes = Vec::new();
        match (&d.file, d.line) {
            (Some(file), Some(line)) => {
                match sources.locate(self.root, file, line, d.column.unwrap_or(1), d.len) {
                    Some((id, range)) => {
                        cs = cs.with_labels(vec![Label::primary(id, range)]);
                    }
                    None => message = format!("{}: {message}", d.location().unwrap_or_default()),
                }
            }
            (Some(_), None) => message = format!("{}: {message}", d.location().unwrap_or_default()),
            _ => {}
        }
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        cs = cs.with_message(message).with_notes(notes);
        let config = term::Config::default();
        term::emit(out, &config, &sources.files, &cs).map_err(|_| ())
    }
}

/// A source line longer than this is not quoted (the diagnostic names its location instead).
const MAX_QUOTED_LINE: usize = 2000;

/// The files that diagnostics point into, each read and indexed once per print, so that
/// thousands of diagnostics in one big file cost no more than reading it once.
#[derive(Default)]
struct Sources {
    files: SimpleFiles<String, String>,
    /// File name → its id in `files` and the byte offset of each line (`None`: unreadable).
    by_name: HashMap<String, Option<(usize, Vec<usize>)>>,
}

impl Sources {
    /// The file's id and the byte range to underline, or `None` when the file cannot be read,
    /// the line is past its end, or the line is too long to quote.
    fn locate(
        &mut self,
        root: &Path,
        file: &str,
        line: usize,
        column: usize,
        len: usize,
    ) -> Option<(usize, std::ops::Range<usize>)> {
        let files = &mut self.files;
        let entry = self.by_name.entry(file.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(file)).ok()?;
            let source = String::from_utf8_lossy(&bytes).into_owned();
            let mut starts = vec![0];
            starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
            let id = files.add(file.to_string(), source);
            Some((id, starts))
        });
        let (id, starts) = entry.as_ref()?;
        let source = self.files.get(*id).ok()?.source();
        let start = *starts.get(line.checked_sub(1)?)?;
        if start > source.len() || (start == source.len() && line > 1 && !source.is_empty()) {
            return None;
        }
        let end = starts.get(line).copied().unwrap_or(source.len());
        if end - start > MAX_QUOTED_LINE {
            return None;
        }
        let range = byte_range(source.get(start..end)?, 1, column, len)?;
        Some((*id, start + range.start..start + range.end))
    }
}

/// The byte range to underline for a 1-based line and column; `None` when past the end.
fn byte_range(
    source: &str,
    line: usize,
    column: usize,
    len: usize,
) -> Option<std::ops::Range<usize>> {
    let mut start = 0usize;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let text = l.trim_end_matches(['\n', '\r']);
            let col_byte = text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(text.len());
            let rest = &text[col_byte..];
            let span_len = if len > 0 {
                rest.char_indices()
                    .nth(len)
                    .map(|(b, _)| b)
                    .unwrap_or(rest.len())
            } else {
                rest.find(char::is_whitespace).unwrap_or(rest.len())
            };
            let span_len = span_len.max(if rest.is_empty() {
                0
            } else {
                rest.chars().next().map_or(0, char::len_utf8)
            });
            return Some(start + col_byte..start + col_byte + span_len);
        }
        start += l.len();
    }
    if line == 1 && source.is_empty() {
        return Some(0..0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_file_then_line() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("b").in_file("content/b.md").at(1, 1));
        d.push(Diagnostic::error("a2").in_file("content/a.md").at(9, 1));
        d.push(Diagnostic::error("a1").in_file("content/a.md").at(2, 1));
        let msgs: Vec<_> = d.sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(msgs, ["a1", "a2", "b"]);
    }

    #[test]
    fn byte_range_of_second_line() {
        assert_eq!(byte_range("ab\ncd ef\n", 2, 4, 0), Some(6..8));
        assert_eq!(byte_range("x", 3, 1, 0), None);
    }
}
