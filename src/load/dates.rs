//! The date forms front matter accepts: `YYYY-MM-DD`, RFC 3339, and Jekyll's
//! `YYYY-MM-DD HH:MM:SS +HHMM`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use crate::model::Date;

pub const ACCEPTED: &str =
    "accepted forms: 2026-03-14, 2026-03-14T09:30:00Z (RFC 3339), 2026-03-14 09:30:00 +0100";

/// Parses a front-matter date, or `None` when it is in no accepted form.
pub fn parse(s: &str) -> Option<Date> {
    let s = s.trim();
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if s.len() == 10 {
            let at = utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single()?;
            return Some(Date {
                at,
                date_only: true,
            });
        }
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Some(Date {
            at,
            date_only: false,
        });
    }
    for fmt in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(at) = DateTime::parse_from_str(s, fmt) {
            return Some(Date {
                at,
                date_only: false,
            });
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Date {
                at: utc.from_local_datetime(&n).single()?,
                date_only: false,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        assert_eq!(parse("2026-03-14").unwrap().ymd(), "2026-03-14");
        assert!(parse("2026-03-14T09:30:00Z").is_some());
        assert!(parse("2026-03-14T09:30:00+02:00").is_some());
        assert_eq!(
            parse("2026-03-14 23:30:00 +0100").unwrap().ymd(),
            "2026-03-14"
        );
        assert!(parse("yesterday").is_none());
        assert!(parse("2026-13-01").is_none());
    }
}
