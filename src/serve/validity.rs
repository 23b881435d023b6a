//! Whether a document is in force, with the sentences and pages that say
//! so. From its own text: when it took effect and when its term ends
//! (`gazette_model::legal::effect`). From the archive: the later documents
//! that repeal or amend it — found by searching for its 文号 and its title,
//! then reading what each found document's repealing and amending sentences
//! name (`legal::references`). Computed when asked, so it holds whatever
//! order issues were ingested in and follows every correction. Nothing is
//! guessed: with no sentence saying when it took effect, and nothing
//! repealing it, the status is 未知.

use archive::{Archive, DocId, Query, Version};
use gazette_model::legal::{self, Action, Date, Evidence};
use serde_json::{json, Value};

/// How many documents citing a 文号 or title are read for what they do to
/// it: more than any gazette prints citing one document.
const CANDIDATES: usize = 50;

/// A title as compared: no 书名号, no spaces, simplified forms.
fn title_key(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != '《' && *c != '》')
        .map(gazette_model::script::simplified)
        .collect()
}

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

/// The day from which a later document's repeal or amendment holds: its
/// own 施行 date, else its date (a document that names no day of its own
/// effect acts from the day it was made; the evidence says which).
fn acts_from(v: &Version) -> (Option<Date>, &'static str) {
    let own = Date::parse_iso(&v.fields.date_iso);
    match legal::effect(&v.paragraphs, &v.fields.title, own).effective_from {
        Some((d, _)) => (Some(d), "施行日期"),
        None => (own, "成文日期"),
    }
}

/// The issue a document is printed in, as cited (《公报》2021年第8期);
/// empty where the gazette's identity is not known.
fn issue_name(v: &Version) -> String {
    let f = &v.fields;
    if f.citation.is_empty() || f.gazette.is_empty() || f.year == 0 || f.issue == 0 {
        return String::new();
    }
    format!(
        "《{}》{}年第{}期",
        f.gazette.trim_matches(|c| c == '《' || c == '》'),
        f.year,
        f.issue
    )
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
fn acted_on_by(a: &Archive, v: &Version) -> archive::Result<Vec<(Action, Option<Date>, Value)>> {
    let number = archive::fold::doc_number_key(&v.fields.doc_number);
    let title = title_key(&v.fields.title);
    let mut queries = Vec::new();
    if !v.fields.doc_number.trim().is_empty() {
        queries.push(v.fields.doc_number.clone());
    }
    if title.chars().count() >= 4 {
        queries.push(format!("\"{}\"", v.fields.title.trim()));
    }
    let mut seen: Vec<DocId> = vec![v.id.clone()];
    let mut out = Vec::new();
    for q in queries {
        let mut query = Query::new(&q);
        query.limit = CANDIDATES;
        for hit in a.search(&query)?.hits {
            let Ok(id) = hit.id.parse::<DocId>() else {
                continue;
            };
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            let Some(later) = a.current(&id)? else {
                continue;
            };
            for r in legal::references(&later.paragraphs) {
                let by_number = !number.is_empty()
                    && r.doc_number.as_deref().map(archive::fold::doc_number_key)
                        == Some(number.clone());
                let by_title =
                    r.title.as_deref().map(title_key) == Some(title.clone()) && !title.is_empty();
                if !(by_number || by_title) {
                    continue;
                }
                let (from, basis) = acts_from(&later);
                out.push((
                    r.action,
                    from,
                    json!({
                        "id": later.id.to_string(),
                        "url": format!("/api/documents/{}", later.id),
                        "name": name(&later),
                        "citation": later.fields.citation,
                        "issue": issue_name(&later),
                        "from": from.map(|d| d.to_string()),
                        "from_basis": basis,
                        "evidence": evidence(&later, &r.evidence, from),
                    }),
                ));
                break;
            }
        }
    }
    Ok(out)
}

/// What `v` itself repeals or amends: each target found in the archive
/// (by 文号, else by full title) with its id, or listed as unresolved.
fn acts_on(a: &Archive, v: &Version) -> archive::Result<(Vec<Value>, Vec<Value>)> {
    let (mut found, mut unresolved) = (Vec::new(), Vec::new());
    for r in legal::references(&v.paragraphs) {
        let mut ids: Vec<DocId> = match &r.doc_number {
            Some(n) => a.lookup(n)?,
            None => Vec::new(),
        };
        if ids.is_empty() {
            if let Some(t) = &r.title {
                let mut q = Query::new(&format!("\"{t}\""));
                q.limit = CANDIDATES;
                for hit in a.search(&q)?.hits {
                    if title_key(&hit.title) == title_key(t) {
                        if let Ok(id) = hit.id.parse() {
                            ids.push(id);
                        }
                    }
                }
            }
        }
        ids.retain(|id| *id != v.id);
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
    let own = Date::parse_iso(&v.fields.date_iso);
    let e = legal::effect(&v.paragraphs, &v.fields.title, own);
    let acted = acted_on_by(a, v)?;
    let holds = |from: &Option<Date>| from.is_some_and(|d| d <= as_of);
    let repealed: Vec<&Value> = acted
        .iter()
        .filter(|(act, from, _)| *act == Action::Repeals && holds(from))
        .map(|(_, _, j)| j)
        .collect();
    let amended: Vec<&Value> = acted
        .iter()
        .filter(|(act, from, _)| *act == Action::Amends && holds(from))
        .map(|(_, _, j)| j)
        .collect();
    let from = e.effective_from.as_ref().map(|(d, _)| *d);
    let until = e.expires.as_ref().map(|(d, _)| *d);
    let status = if !repealed.is_empty() {
        "已废止"
    } else if from.is_some_and(|d| as_of < d) {
        "尚未生效"
    } else if until.is_some_and(|d| as_of > d) {
        "失效"
    } else if !amended.is_empty() {
        "已修改"
    } else if from.is_some() {
        "有效"
    } else {
        "未知"
    };
    let (acts, unresolved) = acts_on(a, v)?;
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
        "later_acts": acted.iter().map(|(act, _, j)| {
            let mut j = j.clone();
            j["action"] = json!(act);
            j
        }).collect::<Vec<_>>(),
        "acts_on": acts,
        "unresolved": unresolved,
        "evidence": evidence_list,
    }))
}

/// Today, in UTC.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days((secs / 86_400) as i64)
}
