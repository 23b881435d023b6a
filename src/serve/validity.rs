//! Whether a document is in force, with the sentences and pages that say
//! so. From its own text: when it took effect and when its term ends
//! (`gazette_model::legal::effect`). From the archive: the later documents
//! that repeal or amend it — found by searching for its 文号 and its title,
//! then reading what each found document's repealing and amending sentences
//! name (`legal::references`). Computed when asked, so it holds whatever
//! order issues were ingested in and follows every correction. Nothing is
//! guessed: with no sentence saying when it took effect, and nothing
//! repealing it, the status is 未知.

use archive::legal::{self, Act, Standing};
use archive::{Archive, Version};
use gazette_model::legal::{Action, Date, Evidence};
use serde_json::{json, Value};

/// Where a sentence of `v` was read: the page of its paragraph.
fn evidence(v: &Version, e: &Evidence, date: Option<Date>) -> Value {
    let a = v
        .paragraphs
        .get(e.paragraph)
        .and_then(|p| p.anchors.first());
    json!({
        "sentence": e.sentence,
        "date": date.map(|d| d.to_string()),
        "document": v.id.to_string(),
        "page_id": a.map(|a| format!("{}-p{:02}", v.id.issue, a.page)),
        "printed_page": a.map(|a| a.printed_page),
        "url": a.map(|a| format!("/pages/{}-p{:02}?doc={}&v={}", v.id.issue, a.page, v.id, v.version)),
    })
}

/// The issue a document is printed in, as cited (《公报》2021年第8期);
/// empty where the gazette's identity is not known.
fn issue_name(v: &Version) -> String {
    let f = &v.fields;
    if f.citation.is_empty() {
        return String::new();
    }
    gazette_model::citation::issue(&f.gazette, f.year, f.issue).unwrap_or_default()
}

fn name(v: &Version) -> String {
    let number = if v.fields.doc_number.is_empty() {
        String::new()
    } else {
        format!("（{}）", v.fields.doc_number)
    };
    format!(
        "《{}》{number}",
        v.fields.title.trim_matches(|c| c == '《' || c == '》')
    )
}

/// Later documents in the archive that repeal or amend `v`: each with what
/// it does, from when, and the sentence and page that say so.
fn acted_on_by(a: &Archive, v: &Version) -> archive::Result<(Vec<Act>, Vec<Value>)> {
    let acts = legal::acted_on_by(a, v)?;
    let json = acts
        .iter()
        .map(|x| {
            let from = x.from.map(|d| d.to_string());
            json!({
                "id": x.by.id.to_string(),
                "url": format!("/api/documents/{}", x.by.id),
                "name": name(&x.by),
                "citation": x.by.fields.citation,
                "issue": issue_name(&x.by),
                "from": from,
                "from_basis": x.basis,
                "evidence": evidence(&x.by, &x.evidence, x.from),
            })
        })
        .collect();
    Ok((acts, json))
}

/// What `v` itself repeals or amends: each target found in the archive
/// (by 文号, else by full title) with its id, or listed as unresolved.
fn acts_on(a: &Archive, v: &Version) -> archive::Result<(Vec<Value>, Vec<Value>)> {
    let (mut found, mut unresolved) = (Vec::new(), Vec::new());
    for (r, ids) in legal::targets(a, v)? {
        let entry = json!({
            "action": r.action,
            "doc_number": r.doc_number,
            "title": r.title,
            "evidence": evidence(v, &r.evidence, None),
        });
        if ids.is_empty() {
            unresolved.push(entry);
        } else {
            let mut e = entry;
            e["ids"] = json!(ids.iter().map(|d| d.to_string()).collect::<Vec<_>>());
            found.push(e);
        }
    }
    Ok((found, unresolved))
}

/// The document's status on `as_of`, with every date's evidence.
pub fn validity(a: &Archive, v: &Version, as_of: Date) -> archive::Result<Value> {
    let e = legal::effect_of(v);
    let (acts, acted) = acted_on_by(a, v)?;
    let standing = Standing::of(&e, &acts);
    let holds = |x: &Act| x.from.is_some_and(|d| d <= as_of);
    let by = |action: Action| -> Vec<&Value> {
        acts.iter()
            .zip(&acted)
            .filter(|(x, _)| x.action == action && holds(x))
            .map(|(_, j)| j)
            .collect()
    };
    let (repealed, amended) = (by(Action::Repeals), by(Action::Amends));
    let status = standing.status(as_of).as_str();
    let from = standing.effective_from;
    let until = standing.expires;
    let (acting, unresolved) = acts_on(a, v)?;
    let mut evidence_list = Vec::new();
    if let Some((d, ev)) = &e.effective_from {
        evidence_list.push(json!({"field": "effective_from", "value": d.to_string(), "source": evidence(v, ev, Some(*d))}));
    }
    if let Some((d, ev)) = &e.expires {
        evidence_list.push(json!({"field": "expires", "value": d.to_string(), "source": evidence(v, ev, Some(*d))}));
    }
    Ok(json!({
        "status": status,
        "as_of": as_of.to_string(),
        "effective_from": from.map(|d| d.to_string()),
        "expires": until.map(|d| d.to_string()),
        "provisional": e.provisional,
        "repealed_by": repealed,
        "amended_by": amended,
        "later_acts": acts.iter().zip(&acted).map(|(x, j)| {
            let mut j = j.clone();
            j["action"] = json!(x.action);
            j
        }).collect::<Vec<_>>(),
        "acts_on": acting,
        "unresolved": unresolved,
        "evidence": evidence_list,
    }))
}
