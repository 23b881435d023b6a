//! Query-string parameters, read strictly: invalid UTF-8, unknown names,
//! repeated names and malformed numbers are each a 400 naming the
//! parameter, not a silent default.

use super::AppError;
use percent_encoding::percent_decode;

/// The longest query string accepted at all.
const MAX_QUERY_BYTES: usize = 4096;

pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `raw` (the part after `?`), allowing only `allowed` names.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, AppError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(AppError::bad(format!(
                "query string longer than {MAX_QUERY_BYTES} bytes"
            )));
        }
        let mut out: Vec<(String, String)> = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let dec = |s: &str| -> Result<String, AppError> {
                let plus = s.replace('+', " ");
                percent_decode(plus.as_bytes())
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| AppError::bad(format!("parameter {k:?}: not valid UTF-8")))
            };
            let k = dec(k)?;
            let v = dec(v)?;
            if !allowed.contains(&k.as_str()) {
                return Err(AppError::bad(format!(
                    "unknown parameter {k:?} (allowed: {})",
                    allowed.join(", ")
                )));
            }
            if out.iter().any(|(a, _)| *a == k) {
                return Err(AppError::bad(format!("parameter {k:?} given twice")));
            }
            out.push((k, v));
        }
        Ok(Params(out))
    }

    /// A non-empty string value.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// A value as given, even empty or blank.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-empty string value of at most `max` characters, or a 400
    /// naming the parameter.
    pub fn text(&self, name: &str, max: usize) -> Result<Option<&str>, AppError> {
        match self.raw(name) {
            Some(v) if v.chars().count() > max => Err(AppError::bad(format!(
                "parameter {name:?}: longer than {max} characters"
            ))),
            _ => Ok(self.str(name)),
        }
    }

    /// A number in `range`, or a 400 naming the parameter.
    pub fn num<T>(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<T>,
    ) -> Result<Option<T>, AppError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        match self.str(name) {
            None => Ok(None),
            Some(v) => match v.trim().parse::<T>() {
                Ok(n) if range.contains(&n) => Ok(Some(n)),
                _ => Err(AppError::bad(format!(
                    "parameter {name:?}: expected a whole number from {} to {}, got {v:?}",
                    range.start(),
                    range.end()
                ))),
            },
        }
    }
}
