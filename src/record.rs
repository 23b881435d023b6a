//! A document version as every outside reader gets it — `gazette
//! export`, the bulk files, `show` and the HTTP API: its fields, plus id,
//! version and status.

use archive::Version;

/// A version as `export` and the HTTP API show it.
pub fn record(v: &Version) -> serde_json::Value {
    let mut obj = serde_json::to_value(&v.fields).unwrap_or_default();
    if let Some(m) = obj.as_object_mut() {
        m.insert("id".into(), v.id.to_string().into());
        m.insert("version".into(), v.version.into());
        m.insert("status".into(), v.status.as_str().into());
    }
    obj
}
