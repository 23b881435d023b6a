//! The public's pages, rendered on the server (askama), in Chinese, usable
//! without JavaScript and on a phone: home, results, document, issue and
//! page views, and the plain-text standard text.

use super::api::{plain_citation, search_query, SEARCH_PARAMS};
use super::page_html;
use super::params::Params;
use super::request::{load_version, parse_doc_id};
use super::{base_url, blocking, cached, not_modified, ApiResult, AppError, AppState};
use archive::{DocId, PageId, Version};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/v/{n}", get(document_version))
        .route(
            "/documents/{id}/articles/{n}",
            get(super::articles::web_article),
        )
        .route("/issues/{id}", get(issue))
        .route("/issues/{id}/proof", get(super::proofread::queue))
        .route("/years/{year}", get(year))
        .route("/pages/{id}", get(page))
        .route("/static/site.css", get(css))
        .route("/static/copy.js", get(js))
        .route("/static/iiif.svg", get(iiif_logo))
}

/// A file of `static/`, built into the binary, cached for an hour.
fn asset(ctype: &'static str, body: &'static str) -> Response {
    let mut r = ([(header::CONTENT_TYPE, ctype)], body).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

async fn css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/site.css"),
    )
}

async fn js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/copy.js"),
    )
}

/// The IIIF logo, beside the link to a manifest (the IIIF convention for
/// "open this in a viewer": drag the logo onto one, or copy the link).
async fn iiif_logo() -> Response {
    asset("image/svg+xml", include_str!("../../static/iiif.svg"))
}

/// `?q=` for links that carry a search on, or nothing.
fn q_param(q: Option<&str>, sep: char) -> String {
    q.map(|q| {
        format!(
            "{sep}q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        )
    })
    .unwrap_or_default()
}

/// A text cut into runs, marked where a query's terms occur.
fn marked(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut on = vec![false; chars.len()];
    for h in super::hits::find(&[text], terms) {
        for sp in h.spans {
            for m in on.iter_mut().take(sp.end).skip(sp.start) {
                *m = true;
            }
        }
    }
    let mut runs: Vec<(String, bool)> = Vec::new();
    for (c, m) in chars.into_iter().zip(on) {
        match runs.last_mut() {
            Some((t, lm)) if *lm == m => t.push(c),
            _ => runs.push((c.to_string(), m)),
        }
    }
    runs
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    years: Vec<(u16, usize)>,
    documents: u64,
}

async fn home(State(s): State<AppState>) -> ApiResult<Response> {
    let a = s.archive.clone();
    let (years, documents) = blocking(move || {
        let mut years: std::collections::BTreeMap<u16, usize> = Default::default();
        let mut documents = 0u64;
        for i in a.issues()? {
            *years.entry(i.year).or_default() += 1;
            documents += i.current().documents.len() as u64;
        }
        Ok((years.into_iter().rev().collect(), documents))
    })
    .await?;
    page_html(Home { years, documents })
}

struct HitView {
    /// The document's page, carrying the query so it marks the hits.
    url: String,
    title: String,
    meta: String,
    citation: String,
    snippet: String,
    /// 时效性 on the day searched for (today unless `as_of`).
    status: &'static str,
}

/// A facet's name and its entries: value, count, link.
type FacetView = (String, Vec<(String, u64, String)>);

#[derive(Template)]
#[template(path = "search.html")]
struct Results {
    q: String,
    total: usize,
    /// Whether `total` counts every match, not only the first ones.
    total_exact: bool,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    filters: Vec<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
    page: usize,
    pages: usize,
    /// The status filter's choices: label, link, whether chosen.
    statuses: Vec<(&'static str, String, bool)>,
    /// The day statuses are taken on, and the other parameters to keep
    /// when it changes.
    as_of: String,
    keep: Vec<(String, String)>,
}

/// The query string for `p` with `key` set to `value` (or removed).
fn link(p: &[(String, String)], key: &str, value: Option<&str>) -> String {
    let mut parts: Vec<String> = p
        .iter()
        .filter(|(k, _)| k != key && k != "page")
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    if let Some(v) = value {
        parts.push(format!(
            "{key}={}",
            percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
        ));
    }
    format!("/search?{}", parts.join("&"))
}

async fn search(State(s): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref(), SEARCH_PARAMS)?;
    let (q, page) = search_query(&p)?;
    let given: Vec<(String, String)> = SEARCH_PARAMS
        .iter()
        .filter_map(|k| p.str(k).map(|v| (k.to_string(), v.to_string())))
        .collect();
    let size = q.limit;
    let text = q.text.clone();
    let day = q.as_of.unwrap_or_else(archive::legal::today);
    let chosen = q.status;
    let r = s.search(q).await?;
    let hits = r
        .hits
        .iter()
        .map(|h| HitView {
            url: format!(
                "/documents/{}{}",
                h.id,
                q_param(Some(text.as_str()).filter(|t| !t.trim().is_empty()), '?')
            ),
            title: h.title.clone(),
            meta: [h.doc_number.as_str(), h.issuer.as_str(), h.date.as_str()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            citation: h.citation.clone(),
            snippet: h.snippet.to_html(),
            status: h.standing.status(day).as_str(),
        })
        .collect();
    let facet = |name: &str, key: &str, list: &[(String, u64)]| {
        let entries = list
            .iter()
            .take(12)
            .map(|(v, n)| {
                let url = if key == "year" {
                    link(
                        &link_params(&given, "year_from", Some(v)),
                        "year_to",
                        Some(v),
                    )
                } else {
                    link(&given, key, Some(v))
                };
                (v.clone(), *n, url)
            })
            .collect();
        (name.to_string(), entries)
    };
    let facets = vec![
        facet("年份", "year", &r.facets.year),
        facet("发文机关", "issuer", &r.facets.issuer),
        facet("文种", "type", &r.facets.doc_type),
    ];
    let filters = given
        .iter()
        .filter(|(k, _)| k != "q" && k != "page" && k != "size")
        .map(|(k, v)| (format!("{k}: {v}"), link(&given, k, None)))
        .collect();
    let pages = r.total.div_ceil(size).max(1);
    let at = |n: usize| format!("{}&page={n}", link(&given, "page", None));
    page_html(Results {
        q: text,
        total: r.total,
        total_exact: r.total_exact,
        hits,
        facets,
        filters,
        prev: (page > 1).then(|| at(page - 1)),
        next: (page < pages).then(|| at(page + 1)),
        page,
        pages,
        statuses: archive::legal::Status::ALL
            .iter()
            .map(|st| {
                let url = link(
                    &link_params(&given, "page", None),
                    "status",
                    Some(st.as_str()),
                );
                (st.as_str(), url, chosen == Some(*st))
            })
            .collect(),
        as_of: day.to_string(),
        keep: given
            .iter()
            .filter(|(k, _)| k != "as_of" && k != "page")
            .cloned()
            .collect(),
    })
}

fn link_params(p: &[(String, String)], key: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p.iter().filter(|(k, _)| k != key).cloned().collect();
    if let Some(x) = value {
        v.push((key.to_string(), x.to_string()));
    }
    v
}

struct ParaView {
    /// The text in runs, marked where the query's terms occur.
    parts: Vec<(String, bool)>,
    page_link: Option<String>,
    printed: String,
    /// The article this paragraph begins, if any: its number and label
    /// (the paragraph is its anchor, `#article-N`, and links its page).
    article: Option<(u32, String)>,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocView {
    v: Version,
    status: &'static str,
    citation_plain: String,
    paragraphs: Vec<ParaView>,
    versions: Vec<(u32, &'static str, String, String, bool)>,
    current: u32,
    issue_id: String,
    /// `http://host` of the request (for the citation meta tags' URLs),
    /// empty when the request named no host.
    site: String,
    /// The date as reference managers read it (yyyy/mm/dd), or empty.
    citation_date: String,
    /// The document's IIIF manifest.
    manifest: String,
    /// Each issuer as printed.
    issuers: Vec<String>,
    /// Field name → the page view with where it was read outlined.
    field_links: std::collections::HashMap<String, String>,
    /// Refused candidates: field (in words), text, reason, page link.
    review: Vec<(String, String, String, String)>,
    /// The form a court cites a normative document in (法释〔2009〕14号:
    /// its full name in 书名号, then the article), with the 文号 and the
    /// gazette it is printed in; empty without a title.
    citation_court: String,
    /// The government a gazette is the gazette of (云南省人民政府 for
    /// 云南省人民政府公报), its publisher; empty when the name does not say.
    publisher: String,
    /// Whether it is in force today: the status, then lines saying why,
    /// each with a link to the document or page that says it.
    validity: (String, Vec<(String, String)>),
    /// A machine reading waiting beside a person's text: its version and
    /// why it was kept.
    pending: Option<(u32, String)>,
    /// What became of a document its issue no longer lists (in words), and
    /// the documents that hold its text: id and title.
    gone: Option<(String, Vec<(String, String)>)>,
    /// Printed in vertical columns: most of its anchors are columns
    /// (boxes taller than wide by far), so the page says the text is shown
    /// horizontally, in reading order.
    vertical: bool,
}

/// Whether most of a document's anchors are columns of vertical print.
fn printed_vertically(v: &Version) -> bool {
    let (mut tall, mut all) = (0usize, 0usize);
    for a in v.paragraphs.iter().flat_map(|p| &p.anchors) {
        all += 1;
        // A line of horizontal print is wider than tall; a column of four
        // or more characters is at least three times taller than wide.
        tall += usize::from(a.bbox.height() > 3 * a.bbox.width());
    }
    all > 0 && tall * 2 > all
}

fn doc_view(
    v: Version,
    head: archive::Document,
    titles: &std::collections::HashMap<DocId, String>,
    site: String,
    q: Option<&str>,
) -> DocView {
    let terms = q.map(super::hits::terms).unwrap_or_default();
    let starts = gazette_model::legal::articles(&v.paragraphs);
    let paragraphs = v
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| ParaView {
            article: starts
                .iter()
                .find(|a| a.paragraphs.first() == Some(&i))
                .map(|a| (a.number, a.label.clone())),
            parts: marked(&p.text, &terms),
            page_link: p.anchors.first().map(|a| {
                format!(
                    "/pages/{}-p{:02}?doc={}&v={}&p={}{}",
                    v.id.issue,
                    a.page,
                    v.id,
                    v.version,
                    i + 1,
                    q_param(q, '&')
                )
            }),
            printed: p
                .anchors
                .first()
                .map(|a| a.printed_page.to_string())
                .unwrap_or_default(),
        })
        .collect();
    let versions = head
        .versions
        .iter()
        .map(|i| {
            (
                i.version,
                if i.candidate {
                    "candidate"
                } else {
                    i.status.as_str()
                },
                i.reason.clone(),
                i.time.clone(),
                i.version == v.version,
            )
        })
        .collect();
    let page_link = |page: u32, field: &str| {
        format!(
            "/pages/{}-p{:02}?doc={}&v={}&field={field}",
            v.id.issue, page, v.id, v.version
        )
    };
    let mut field_links = std::collections::HashMap::new();
    for fs in &v.fields.field_sources {
        field_links
            .entry(fs.field.clone())
            .or_insert_with(|| page_link(fs.page, &fs.field));
    }
    let review = v
        .fields
        .review
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let name = match n.field.as_str() {
                "doc_number" => "文号",
                "issuer" => "发文机关",
                "date" => "成文日期",
                "title" => "标题",
                _ => "其他",
            };
            (
                name.to_string(),
                n.candidate.clone(),
                n.reason.clone(),
                page_link(n.page, &format!("review{}", i + 1)),
            )
        })
        .collect();
    DocView {
        validity: (String::new(), Vec::new()),
        pending: head.pending().map(|p| (p.version, p.reason.clone())),
        gone: head.gone.as_ref().map(|g| {
            let what = match g.kind {
                archive::GoneKind::Merged => "已并入他件",
                archive::GoneKind::Split => "已拆分为数件",
                archive::GoneKind::Withdrawn => "已撤下（重新识别本期时未再找到）",
            };
            (
                what.to_string(),
                g.into
                    .iter()
                    .map(|d| (d.to_string(), titles.get(d).cloned().unwrap_or_default()))
                    .collect(),
            )
        }),
        vertical: printed_vertically(&v),
        issuers: v.fields.issuer_list(),
        field_links,
        review,
        citation_court: court_citation(&v),
        manifest: format!("{site}/iiif/presentation/documents/{}/manifest", v.id),
        citation_date: v.fields.date_iso.replace('-', "/"),
        publisher: v
            .fields
            .gazette
            .strip_suffix("公报")
            .unwrap_or_default()
            .to_string(),
        site,
        status: v.status.as_str(),
        citation_plain: plain_citation(&v),
        paragraphs,
        versions,
        current: head.current(),
        issue_id: v.id.issue.to_string(),
        v,
    }
}

/// The document page's words for its validity (from the API's record):
/// the status, and a line for each fact with its link.
fn validity_view(v: &serde_json::Value) -> (String, Vec<(String, String)>) {
    let text = |x: &serde_json::Value| x.as_str().unwrap_or_default().to_string();
    let mut lines = Vec::new();
    for (key, verb) in [("repealed_by", "废止"), ("amended_by", "修改")] {
        for by in v[key].as_array().into_iter().flatten() {
            let page = by["evidence"]["printed_page"]
                .as_u64()
                .map(|p| format!("第{p}页"))
                .unwrap_or_default();
            let source = text(&by["issue"]);
            let seen = if source.is_empty() {
                String::new()
            } else {
                format!("，见{source}{page}")
            };
            lines.push((
                format!(
                    "本件已被{}{verb}（自{}起）{seen}：“{}”",
                    text(&by["name"]),
                    text(&by["from"]),
                    text(&by["evidence"]["sentence"])
                ),
                text(&by["evidence"]["url"]),
            ));
        }
    }
    for e in v["evidence"].as_array().into_iter().flatten() {
        let what = if e["field"] == "expires" {
            "有效期至"
        } else {
            "施行日期"
        };
        lines.push((
            format!(
                "{what}：{}（“{}”）",
                text(&e["value"]),
                text(&e["source"]["sentence"])
            ),
            text(&e["source"]["url"]),
        ));
    }
    (text(&v["status"]), lines)
}

/// 《全称》（文号），载《公报》YYYY年第N期第X页: what a judgment writes
/// before the article it applies ("第X条第X款").
fn court_citation(v: &Version) -> String {
    let f = &v.fields;
    if f.title.trim().is_empty() {
        return String::new();
    }
    let number = if f.doc_number.is_empty() {
        String::new()
    } else {
        format!("（{}）", f.doc_number)
    };
    let source = if f.citation.is_empty() {
        "，出处未定".to_string()
    } else {
        format!("，载{}", f.citation)
    };
    format!(
        "《{}》{number}{source}",
        f.title.trim_matches(|c| c == '《' || c == '》')
    )
}

/// The standard text as plain UTF-8, headed by citation, permalink and hash.
fn text_response(v: &Version, headers: &HeaderMap) -> Response {
    let site = base_url(headers);
    let permalink = format!("/documents/{}/v/{}", v.id, v.version);
    let body = format!(
        "{}\n{}\n{}\n版本 {}（{}）\n永久链接 {}{}\nSHA-256 {}\n\n{}\n",
        v.fields.title,
        v.fields.doc_number,
        v.fields.citation,
        v.version,
        v.status.as_str(),
        site,
        permalink,
        v.fields.sha256,
        v.fields.text
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// A document as a page or (`txt`) as plain text: version `n`, or the
/// latest. Only a version's plain text is cached for good: its page lists
/// the history, which grows.
async fn show_document(
    s: &AppState,
    id: &str,
    n: Option<u32>,
    txt: bool,
    headers: &HeaderMap,
    raw: Option<String>,
) -> ApiResult<Response> {
    // The plain text takes no parameters; the page takes the query whose
    // hits it marks.
    let p = Params::parse(raw.as_deref(), if txt { &[] } else { &["q"] })?;
    let q = p
        .text("q", archive::search::MAX_QUERY_CHARS)?
        .map(str::to_string);
    let (v, head) = load_version(s, parse_doc_id(id)?, n).await?;
    // The marks make the page depend on the query; the page shows the
    // history and what waits, which change with the archive.
    let etag = format!(
        "{}{}-{}{}",
        if txt {
            "t".to_string()
        } else {
            // The page says whether the text is in force today.
            format!("h{}-{}-", s.generation(), archive::legal::today())
        },
        v.version,
        v.fields.sha256,
        q.as_deref()
            .map(|q| format!("-{}", archive::sha256_hex(q.as_bytes())))
            .unwrap_or_default()
    );
    if let Some(r) = not_modified(headers, &etag) {
        return Ok(r);
    }
    let r = if txt {
        text_response(&v, headers)
    } else {
        // The documents a gone one went into, by title.
        let into: Vec<DocId> = head.gone.iter().flat_map(|g| g.into.clone()).collect();
        let a = s.archive.clone();
        let titles = blocking(move || {
            let mut t = std::collections::HashMap::new();
            for d in into {
                if let Some(cur) = a.current(&d)? {
                    t.insert(d, cur.fields.title);
                }
            }
            Ok(t)
        })
        .await?;
        // Whether it is in force today, with what says so.
        let (a, cur) = (s.archive.clone(), v.clone());
        let validity = blocking(move || {
            Ok(super::validity::validity(
                &a,
                &cur,
                archive::legal::today(),
            )?)
        })
        .await?;
        let mut view = doc_view(v, head, &titles, base_url(headers), q.as_deref());
        view.validity = validity_view(&validity);
        page_html(view)?
    };
    Ok(cached(r, &etag, txt && n.is_some()))
}

/// Splits a trailing `.txt` off a path segment.
fn txt(segment: String) -> (String, bool) {
    match segment.strip_suffix(".txt") {
        Some(i) => (i.to_string(), true),
        None => (segment, false),
    }
}

async fn document(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let (id, txt) = txt(id);
    show_document(&s, &id, None, txt, &headers, raw).await
}

async fn document_version(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let (n, txt) = txt(n);
    let n: u32 = n
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| AppError::bad(format!("n: {n:?} is not a version number")))?;
    show_document(&s, &id, Some(n), txt, &headers, raw).await
}

#[derive(Template)]
#[template(path = "issue.html")]
struct IssueView {
    id: String,
    title: String,
    docs: Vec<(String, String, String, String)>,
    /// Page id, printed number, and for a page not read as `ok` what the
    /// reader concluded, in words, with its reason.
    pages: Vec<(String, u32, String)>,
    /// The issue's IIIF manifest.
    manifest: String,
}

/// A page's verdict as the issue page shows it; empty for `ok`.
fn verdict_note(v: &archive::Verdict) -> String {
    match v {
        archive::Verdict::Ok => String::new(),
        archive::Verdict::Blank(_) => "空白页".into(),
        archive::Verdict::Suspect(r) => format!("待核：{r}"),
        archive::Verdict::Failed(r) => format!("未能读取：{r}"),
    }
}

async fn issue(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let site = base_url(&headers);
    let id = super::request::parse_issue_id(&id)?;
    let a = s.archive.clone();
    let view = blocking(move || {
        let issue = super::request::issue(&a, &id)?;
        let cur = issue.current();
        let mut docs = Vec::new();
        for d in &cur.documents {
            if let Some(v) = a.current(d)? {
                let pages = if v.fields.start_page == v.fields.end_page {
                    format!("第{}页", v.fields.start_page)
                } else {
                    format!("第{}—{}页", v.fields.start_page, v.fields.end_page)
                };
                docs.push((d.to_string(), v.fields.title, v.fields.doc_number, pages));
            }
        }
        let pages = a
            .current_pages(&issue)?
            .into_iter()
            .map(|p| (p.id.to_string(), p.printed, verdict_note(&p.verdict)))
            .collect();
        Ok(IssueView {
            manifest: format!("{site}/iiif/presentation/issues/{id}/manifest"),
            title: super::issue_title(&issue.gazette, issue.year, issue.number),
            id: id.to_string(),
            docs,
            pages,
        })
    })
    .await?;
    page_html(view)
}

#[derive(Template)]
#[template(path = "year.html")]
struct YearView {
    year: u16,
    issues: Vec<(String, String, usize)>,
}

async fn year(State(s): State<AppState>, Path(year): Path<String>) -> ApiResult<Response> {
    let year: u16 = year
        .parse()
        .ok()
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(|| AppError::bad(format!("year: {year:?} is not a year")))?;
    let a = s.archive.clone();
    let issues = blocking(move || {
        Ok(a.issues()?
            .into_iter()
            .filter(|i| i.year == year)
            .map(|i| {
                (
                    i.id.to_string(),
                    super::issue_title(&i.gazette, i.year, i.number),
                    i.current().documents.len(),
                )
            })
            .collect())
    })
    .await?;
    page_html(YearView { year, issues })
}

#[derive(Template)]
#[template(path = "page.html")]
struct PageView {
    id: String,
    issue_id: String,
    printed: u32,
    width: u32,
    height: u32,
    has_image: bool,
    img_url: String,
    boxes: Vec<(u32, u32, u32, u32)>,
    /// Boxes of the lines holding the searched words.
    hits: Vec<(u32, u32, u32, u32)>,
    /// The query the hits are of.
    q: String,
    back: Option<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let pid: PageId = id.parse().map_err(|_| {
        AppError::bad(format!(
            "id: {id:?} is not a page id such as yn-2017-05-p03"
        ))
    })?;
    let p = Params::parse(raw.as_deref(), &["doc", "v", "p", "q", "field"])?;
    // A field's box (doc_number, issuer, date, title, attribute) or a
    // refused candidate's (review1, review2 …) instead of the paragraphs.
    let field = p.text("field", 16)?.map(str::to_string);
    let doc = p.str("doc").map(parse_doc_id).transpose()?;
    let q = p
        .text("q", archive::search::MAX_QUERY_CHARS)?
        .map(str::to_string);
    let version = p.num::<u32>("v", 1..=1_000_000)?;
    let para = p.num::<usize>("p", 1..=100_000)?;
    let a = s.archive.clone();
    let view = blocking(move || {
        let page = a
            .page(&pid, None)?
            .ok_or_else(|| AppError::not_found(format!("no page {pid}")))?;
        let mut boxes = Vec::new();
        let mut back = None;
        let terms = q.as_deref().map(super::hits::terms).unwrap_or_default();
        let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
        let mut hits: Vec<(u32, u32, u32, u32)> = Vec::new();
        for h in super::hits::find(&texts, &terms) {
            for sp in h.spans {
                let [x0, y0, x1, y1] = page.lines[sp.line].bbox.0;
                let b = (x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0));
                if !hits.contains(&b) {
                    hits.push(b);
                }
            }
        }
        let keep_q = q_param(q.as_deref(), '?');
        if let Some(d) = doc {
            let v = match version {
                Some(n) => a.version(&d, n)?,
                None => a.current(&d)?,
            }
            .ok_or_else(|| AppError::not_found(format!("no document {d}")))?;
            let on_page = |page: u32, b: &gazette_model::BBox| {
                (page == pid.page as u32).then(|| {
                    let [x0, y0, x1, y1] = b.0;
                    (x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0))
                })
            };
            if let Some(f) = &field {
                let review = f
                    .strip_prefix("review")
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| v.fields.review.get(n.wrapping_sub(1)));
                match review {
                    Some(n) => boxes.extend(on_page(n.page, &n.bbox)),
                    None => boxes.extend(
                        v.fields
                            .field_sources
                            .iter()
                            .filter(|s| &s.field == f)
                            .filter_map(|s| on_page(s.page, &s.bbox)),
                    ),
                }
            } else {
                let paras: Vec<&archive::Paragraph> = match para {
                    Some(i) => v.paragraphs.get(i - 1).into_iter().collect(),
                    None => v.paragraphs.iter().collect(),
                };
                for pr in paras {
                    for an in &pr.anchors {
                        boxes.extend(on_page(an.page, &an.bbox));
                    }
                }
            }
            back = Some((
                format!("/documents/{}/v/{}{keep_q}", v.id, v.version),
                v.fields.title.clone(),
            ));
        }
        let issue = a.issue(&pid.issue)?;
        let count = issue.as_ref().map_or(0, |i| i.current().pages as u16);
        let near = |n: u16| {
            format!(
                "/pages/{}{keep_q}",
                PageId {
                    issue: pid.issue.clone(),
                    page: n
                }
            )
        };
        Ok(PageView {
            issue_id: pid.issue.to_string(),
            id: pid.to_string(),
            printed: page.printed,
            width: page.width.max(1),
            height: page.height.max(1),
            has_image: page.image.is_some(),
            // A screen's worth of pixels, never more than the image has.
            img_url: format!(
                "/iiif/{pid}/full/{},/0/default.jpg",
                page.image.as_ref().map_or(1, |i| i.page_size().0.min(1400))
            ),
            boxes,
            hits,
            q: q.clone().unwrap_or_default(),
            back,
            prev: (pid.page > 1).then(|| near(pid.page - 1)),
            next: (pid.page < count).then(|| near(pid.page + 1)),
        })
    })
    .await?;
    page_html(view)
}
