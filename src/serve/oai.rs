//! OAI-PMH 2.0 at `/oai`, the protocol libraries and union catalogues
//! harvest by: Identify, ListMetadataFormats, ListSets (a gazette, and a
//! gazette's year: `yn`, `yn:2017`), ListIdentifiers, ListRecords and
//! GetRecord in `oai_dc`, with resumption tokens. Every document is a
//! record, its datestamp the time of its current version; a document its
//! issue no longer lists is a deleted record (`deletedRecord` persistent:
//! its id keeps resolving).
//!
//! Lists are ordered by datestamp, then id, and a resumption token names
//! the last record sent: a write between two requests moves the records
//! it touches to the end, where the harvest still finds them.

use super::{base_url, blocking, ApiResult, AppState};
use crate::xml::esc;
use archive::{Archive, DocId};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::{Arc, Mutex};

/// Records per answer of ListRecords and ListIdentifiers: `serve
/// --oai-page`, one value per process (one archive is served per process).
static PAGE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(100);

pub fn set_page(n: usize) {
    PAGE.store(n.max(1), std::sync::atomic::Ordering::Relaxed);
}
/// The prefix of every record's identifier (persistent: it names no host).
const ID_PREFIX: &str = "oai:gazette:";

pub fn routes() -> Router<AppState> {
    Router::new().route("/oai", get(oai))
}

/// A record as listed: identifier, datestamp, set, deleted.
#[derive(Clone, Debug)]
struct Item {
    id: DocId,
    datestamp: String,
    deleted: bool,
}

/// Every record, by datestamp then id, for one generation of the archive.
type Catalog = Arc<Vec<Item>>;

/// The catalog of an archive's generation, built once per generation
/// (keyed by the archive's directory too: tests serve several in one
/// process).
type Cached = (std::path::PathBuf, u64, Catalog);
static CATALOG: Mutex<Option<Cached>> = Mutex::new(None);

fn catalog(a: &Archive, generation: u64) -> archive::Result<Catalog> {
    if let Some((dir, g, c)) = CATALOG.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
        if *g == generation && dir == a.dir() {
            return Ok(c.clone());
        }
    }
    let mut items = Vec::new();
    for issue in a.issues()? {
        for id in issue.ever_listed() {
            let Some(head) = a.document(id)? else {
                continue;
            };
            let Some(last) = head.versions.iter().rev().find(|v| !v.candidate) else {
                continue;
            };
            let mut datestamp = last.time.clone();
            if let Some(g) = &head.gone {
                datestamp = datestamp.max(g.time.clone());
            }
            items.push(Item {
                id: id.clone(),
                datestamp,
                deleted: head.gone.is_some(),
            });
        }
    }
    items.sort_by(|a, b| (&a.datestamp, &a.id).cmp(&(&b.datestamp, &b.id)));
    let c = Arc::new(items);
    *CATALOG.lock().unwrap_or_else(|p| p.into_inner()) =
        Some((a.dir().to_path_buf(), generation, c.clone()));
    Ok(c)
}

/// The query's arguments, decoded; a repeated one is an error.
fn args(raw: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let dec = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        let (k, v) = (dec(k), dec(v));
        if out.iter().any(|(x, _)| *x == k) {
            return Err(format!("argument {k} repeated"));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// An OAI-PMH error answer's body part.
fn error(code: &str, message: &str) -> String {
    format!("<error code=\"{code}\">{}</error>", esc(message))
}

/// A datestamp argument as a full UTC time: a day's start (`from`) or end
/// (`until`); its granularity (10 or 20 characters).
fn time_arg(v: &str, end: bool) -> Option<(String, usize)> {
    let day = |s: &str| {
        s.len() == 10
            && s.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    if day(v) {
        let t = if end { "T23:59:59Z" } else { "T00:00:00Z" };
        return Some((format!("{v}{t}"), 10));
    }
    let ok = v.len() == 20
        && day(&v[..10])
        && v.as_bytes()[10] == b'T'
        && v.ends_with('Z')
        && humantime::parse_rfc3339(v).is_ok();
    ok.then(|| (v.to_string(), 20))
}

/// A record's set specs: its gazette and its gazette's year.
fn sets(id: &DocId) -> [String; 2] {
    let g = id.issue.gazette.to_string();
    [g.clone(), format!("{g}:{}", id.issue.year)]
}

fn header_xml(i: &Item) -> String {
    let status = if i.deleted { " status=\"deleted\"" } else { "" };
    let [g, y] = sets(&i.id);
    format!(
        "<header{status}><identifier>{ID_PREFIX}{}</identifier><datestamp>{}</datestamp><setSpec>{g}</setSpec><setSpec>{y}</setSpec></header>",
        i.id,
        esc(&i.datestamp)
    )
}

/// A record in `oai_dc`: its header, and for a live record the Dublin Core
/// of its current version.
fn record_xml(a: &Archive, i: &Item, base: &str) -> archive::Result<String> {
    let mut x = format!("<record>{}", header_xml(i));
    if !i.deleted {
        if let Some(v) = a.current(&i.id)? {
            let f = &v.fields;
            let mut dc = String::new();
            let mut el = |name: &str, value: &str| {
                if !value.trim().is_empty() {
                    dc.push_str(&format!("<dc:{name}>{}</dc:{name}>", esc(value.trim())));
                }
            };
            el("title", &f.title);
            for issuer in f.issuer_list() {
                el("creator", &issuer);
            }
            el("publisher", &f.gazette);
            el("date", &f.date_iso);
            el("type", &f.doc_type);
            el("identifier", &format!("{base}/documents/{}", i.id));
            el("identifier", &f.doc_number);
            el("source", &f.citation);
            el("language", "zh");
            el("format", "text/plain");
            el("rights", &f.attribute);
            x.push_str(&format!(
                "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">{dc}</oai_dc:dc></metadata>"
            ));
        }
    }
    x.push_str("</record>");
    Ok(x)
}

/// The answer's body for a verb and its arguments (an `<error>` or the
/// verb's element), and whether the request element may echo them.
fn answer(
    a: &Archive,
    generation: u64,
    base: &str,
    verb: &str,
    args: &[(String, String)],
) -> archive::Result<(String, bool)> {
    let arg = |k: &str| args.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
    let allowed: &[&str] = match verb {
        "Identify" | "ListSets" => &["verb", "resumptionToken"],
        "ListMetadataFormats" => &["verb", "identifier"],
        "GetRecord" => &["verb", "identifier", "metadataPrefix"],
        "ListIdentifiers" | "ListRecords" => &[
            "verb",
            "metadataPrefix",
            "from",
            "until",
            "set",
            "resumptionToken",
        ],
        _ => return Ok((error("badVerb", "no such verb"), false)),
    };
    if let Some((k, _)) = args.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Ok((
            error("badArgument", &format!("{k} is not an argument of {verb}")),
            false,
        ));
    }
    let bad = |m: &str| Ok((error("badArgument", m), false));
    match verb {
        "Identify" => {
            if arg("resumptionToken").is_some() {
                return bad("Identify takes no resumptionToken");
            }
            let earliest = a
                .changes(0, 1)?
                .first()
                .map_or("1970-01-01T00:00:00Z".to_string(), |c| c.time.clone());
            Ok((format!(
                "<Identify><repositoryName>政府公报数据库</repositoryName><baseURL>{}/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>archive@localhost</adminEmail><earliestDatestamp>{}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
                esc(base), esc(&earliest)
            ), true))
        }
        "ListMetadataFormats" => {
            if let Some(id) = arg("identifier") {
                if find(&catalog(a, generation)?, id).is_none() {
                    return Ok((error("idDoesNotExist", id), true));
                }
            }
            Ok(("<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema><metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat></ListMetadataFormats>".to_string(), true))
        }
        "ListSets" => {
            if let Some(t) = arg("resumptionToken") {
                return Ok((
                    error(
                        "badResumptionToken",
                        &format!("{t}: sets come in one answer"),
                    ),
                    true,
                ));
            }
            let mut x = String::from("<ListSets>");
            let mut years: Vec<(String, u16)> = a
                .issues()?
                .iter()
                .map(|i| (i.id.gazette.to_string(), i.year))
                .collect();
            years.sort();
            years.dedup();
            let names: Vec<(String, String)> = a
                .gazettes()?
                .into_iter()
                .map(|g| (g.code.to_string(), g.name))
                .collect();
            for (code, name) in &names {
                x.push_str(&format!(
                    "<set><setSpec>{code}</setSpec><setName>{}</setName></set>",
                    esc(name)
                ));
                for (_, y) in years.iter().filter(|(c, _)| c == code) {
                    x.push_str(&format!(
                        "<set><setSpec>{code}:{y}</setSpec><setName>{} {y}年</setName></set>",
                        esc(name)
                    ));
                }
            }
            x.push_str("</ListSets>");
            Ok((x, true))
        }
        "GetRecord" => {
            let (Some(id), Some(prefix)) = (arg("identifier"), arg("metadataPrefix")) else {
                return bad("GetRecord needs identifier and metadataPrefix");
            };
            if prefix != "oai_dc" {
                return Ok((error("cannotDisseminateFormat", prefix), true));
            }
            let cat = catalog(a, generation)?;
            let Some(i) = find(&cat, id) else {
                return Ok((error("idDoesNotExist", id), true));
            };
            Ok((
                format!("<GetRecord>{}</GetRecord>", record_xml(a, i, base)?),
                true,
            ))
        }
        _ => list(a, generation, base, verb, &arg),
    }
}

fn find<'c>(cat: &'c [Item], identifier: &str) -> Option<&'c Item> {
    let id: DocId = identifier.strip_prefix(ID_PREFIX)?.parse().ok()?;
    cat.iter().find(|i| i.id == id)
}

/// ListIdentifiers and ListRecords.
fn list<'q>(
    a: &Archive,
    generation: u64,
    base: &str,
    verb: &str,
    arg: &dyn Fn(&str) -> Option<&'q str>,
) -> archive::Result<(String, bool)> {
    // A token carries the request's selection and the last record sent:
    // prefix|set|from|until|datestamp|id.
    let (prefix, set, from, until, after) = match arg("resumptionToken") {
        Some(t) => {
            if ["metadataPrefix", "from", "until", "set"]
                .iter()
                .any(|k| arg(k).is_some())
            {
                return Ok((error("badArgument", "resumptionToken is exclusive"), false));
            }
            let p: Vec<&str> = t.split('|').collect();
            if p.len() != 6 || p[0] != "oai_dc" || p[5].parse::<DocId>().is_err() {
                return Ok((error("badResumptionToken", t), true));
            }
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            (
                p[0].to_string(),
                opt(p[1]),
                opt(p[2]),
                opt(p[3]),
                Some((p[4].to_string(), p[5].to_string())),
            )
        }
        None => {
            let Some(prefix) = arg("metadataPrefix") else {
                return Ok((error("badArgument", "metadataPrefix is required"), false));
            };
            if prefix != "oai_dc" {
                return Ok((error("cannotDisseminateFormat", prefix), true));
            }
            let from = arg("from").map(|v| (v, time_arg(v, false)));
            let until = arg("until").map(|v| (v, time_arg(v, true)));
            for (name, t) in [("from", &from), ("until", &until)] {
                if let Some((v, None)) = t {
                    return Ok((
                        error(
                            "badArgument",
                            &format!("{name}: {v:?} is not a UTC datestamp"),
                        ),
                        false,
                    ));
                }
            }
            if let (Some((_, Some((_, g1)))), Some((_, Some((_, g2))))) = (&from, &until) {
                if g1 != g2 {
                    return Ok((
                        error("badArgument", "from and until differ in granularity"),
                        false,
                    ));
                }
            }
            let f = from.and_then(|(_, t)| t).map(|(t, _)| t);
            let u = until.and_then(|(_, t)| t).map(|(t, _)| t);
            (
                prefix.to_string(),
                arg("set").map(str::to_string),
                f,
                u,
                None,
            )
        }
    };
    let cat = catalog(a, generation)?;
    let matches = |i: &Item| {
        from.as_ref().is_none_or(|f| i.datestamp >= *f)
            && until.as_ref().is_none_or(|u| i.datestamp <= *u)
            && set.as_ref().is_none_or(|s| sets(&i.id).contains(s))
    };
    let selected: Vec<&Item> = cat.iter().filter(|i| matches(i)).collect();
    let rest: Vec<&Item> = match &after {
        Some((d, id)) => selected
            .iter()
            .copied()
            .filter(|i| (&i.datestamp, i.id.to_string()) > (d, id.clone()))
            .collect(),
        None => selected.clone(),
    };
    if rest.is_empty() && after.is_none() {
        return Ok((error("noRecordsMatch", "no record matches"), true));
    }
    let per = PAGE.load(std::sync::atomic::Ordering::Relaxed);
    let page = &rest[..rest.len().min(per)];
    let mut x = format!("<{verb}>");
    for i in page {
        if verb == "ListRecords" {
            x.push_str(&record_xml(a, i, base)?);
        } else {
            x.push_str(&header_xml(i));
        }
    }
    let split = after.is_some() || rest.len() > per;
    if split {
        let size = selected.len();
        if rest.len() > per {
            let last = page[page.len() - 1];
            let token = [
                prefix.as_str(),
                set.as_deref().unwrap_or(""),
                from.as_deref().unwrap_or(""),
                until.as_deref().unwrap_or(""),
                last.datestamp.as_str(),
                &last.id.to_string(),
            ]
            .join("|");
            x.push_str(&format!(
                "<resumptionToken completeListSize=\"{size}\">{}</resumptionToken>",
                esc(&token)
            ));
        } else {
            x.push_str(&format!("<resumptionToken completeListSize=\"{size}\"/>"));
        }
    }
    x.push_str(&format!("</{verb}>"));
    Ok((x, true))
}

async fn oai(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let base = base_url(&headers);
    let a = s.archive.clone();
    let generation = s.generation();
    let raw = raw.unwrap_or_default();
    let (body, request) = blocking(move || {
        let parsed = args(&raw);
        let (body, echo, args) = match parsed {
            Err(m) => (error("badArgument", &m), false, Vec::new()),
            Ok(args) => match args.iter().find(|(k, _)| k == "verb") {
                None => (error("badVerb", "verb is missing"), false, args),
                Some((_, verb)) => {
                    let (b, echo) = answer(&a, generation, &base, verb, &args)?;
                    (b, echo, args)
                }
            },
        };
        // The request element echoes the arguments only when they were
        // valid (OAI-PMH 2.0 §3.6).
        let attrs: String = if echo {
            args.iter()
                .map(|(k, v)| format!(" {}=\"{}\"", esc(k), esc(v)))
                .collect()
        } else {
            String::new()
        };
        Ok((
            body,
            format!("<request{attrs}>{}/oai</request>", esc(&base)),
        ))
    })
    .await?;
    let now = archive::now();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\"><responseDate>{now}</responseDate>{request}{body}</OAI-PMH>\n"
    );
    let mut r = xml.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    Ok(r)
}
