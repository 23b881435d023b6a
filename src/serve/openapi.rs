//! The OpenAPI 3.0 description of the service (`/api/openapi.json`).
//!
//! It is written here, beside the handlers, and held to them two ways:
//! the tests request every path it lists with its example values and check
//! each answers with a status it documents, and CI runs schemathesis
//! (`--checks all`) against the running service with it, so a parameter's
//! real constraints (id patterns, ranges, lengths, empty values) and every
//! status an endpoint gives (200, 304, 400, 404) are what it says.

use axum::Json;
use serde_json::{json, Value};

/// Id patterns, exactly what the id parsers accept (`archive::id`): a
/// gazette code of 1–16 lower-case letters or digits, a year 1–9999 and
/// issue and document numbers 1–999 of at most four digits, a page 1–9999.
pub const CODE: &str = "[a-z0-9]{1,16}";
const N9999: &str = "(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])";
const N999: &str = "(?:[1-9][0-9]{0,2}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])";

pub fn issue_pattern() -> String {
    format!("^{CODE}-{N9999}-{N999}$")
}
pub fn document_pattern() -> String {
    format!("^{CODE}-{N9999}-{N999}-{N999}$")
}
pub fn page_pattern() -> String {
    format!("^{CODE}-{N9999}-{N999}-p{N9999}$")
}

fn path_param(name: &str, pattern: &str, example: &str, what: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": what,
           "schema": {"type": "string", "pattern": pattern}, "example": example})
}

/// An optional number; given empty it counts as not given (as a web form
/// sends an empty field), hence `allowEmptyValue`.
fn int_query(name: &str, min: u64, max: u64, what: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "allowEmptyValue": true, "description": what,
           "schema": {"type": "integer", "minimum": min, "maximum": max}})
}

fn str_query(name: &str, max_len: usize, what: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": what,
           "schema": {"type": "string", "maxLength": max_len}})
}

fn err(r: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{r}") })
}

/// A JSON answer with its errors: 400 for a malformed id or parameter, and
/// 404 where an id names nothing.
fn json_ok(what: &str, schema: Value, not_found: bool) -> Value {
    let mut r = json!({
        "200": {"description": what, "content": {"application/json": {"schema": schema}}},
        "400": err("BadRequest")
    });
    if not_found {
        r["404"] = err("NotFound");
    }
    r
}

fn object(required: &[&str]) -> Value {
    json!({"type": "object", "required": required})
}

/// The day a document's validity is asked about.
fn as_of() -> Value {
    json!({"name": "as_of", "in": "query", "required": false,
           "description": "the day the validity is given on (yyyy-mm-dd); default today (UTC)",
           "schema": {"type": "string", "format": "date"}})
}

fn get(summary: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({"get": {"summary": summary, "parameters": parameters, "responses": responses}})
}

/// The IIIF answers: JSON-LD, served as `application/json` unless asked.
fn iiif_ok(what: &str, ty: &str) -> Value {
    let schema = json!({"type": "object", "required": ["type"],
                        "properties": {"type": {"type": "string", "enum": [ty]}}});
    json!({
        "200": {"description": what, "content": {
            "application/json": {"schema": schema},
            "application/ld+json": {"schema": schema}}},
        "400": err("BadRequest"),
        "404": err("NotFound")
    })
}

fn content_search(scope: &str, id: Value, v1: bool) -> Value {
    let (summary, schema) = if v1 {
        (
            format!("IIIF Content Search 1.0 within {scope} (what Mirador 3 and 4 speak): lines holding the query's terms, with the hits"),
            json!({"type": "object", "required": ["@type", "resources", "hits"]}),
        )
    } else {
        (
            format!("IIIF Content Search 2.0 within {scope}: the lines holding the query's terms as highlighting annotations on their canvases (line boxes)"),
            json!({"type": "object", "required": ["type", "items"]}),
        )
    };
    get(
        &summary,
        vec![
            str_query("q", archive::search::MAX_QUERY_CHARS, "words, 文号 or \"quoted phrases\"; folded like the index (widths, brackets, case); empty: no hits"),
            str_query("motivation", super::request::MAX_IGNORED_CHARS, "accepted and ignored"),
            str_query("date", super::request::MAX_IGNORED_CHARS, "accepted and ignored"),
            str_query("user", super::request::MAX_IGNORED_CHARS, "accepted and ignored"),
        ]
        .into_iter()
        .chain(std::iter::once(id))
        .collect(),
        json!({
            "200": {"description": "the answer", "content": {
                "application/json": {"schema": schema}, "application/ld+json": {"schema": schema}}},
            "400": err("BadRequest"),
            "404": err("NotFound")
        }),
    )
}

/// The description.
pub fn spec() -> Value {
    let issue = issue_pattern();
    let doc = document_pattern();
    let page = page_pattern();
    let issue_id = || {
        path_param(
            "id",
            &issue,
            "yn-2017-05",
            "an issue: gazette code, year, number",
        )
    };
    let doc_id = || {
        path_param(
            "id",
            &doc,
            "yn-2017-05-01",
            "a document: its issue and its number in it",
        )
    };
    let page_id = || {
        path_param(
            "id",
            &page,
            "yn-2017-05-p01",
            "a page: its issue and its position as scanned",
        )
    };
    let not_modified = json!({"description": "the client's copy (If-None-Match) is current"});
    let mut doc_responses = json_ok(
        "the document",
        object(&[
            "id",
            "version",
            "title",
            "text",
            "paragraphs",
            "citations",
            "sha256",
        ]),
        true,
    );
    doc_responses["304"] = not_modified.clone();
    let mut version_responses = doc_responses.clone();
    version_responses["200"]["description"] = json!("the version");
    let search_params = vec![
        str_query(
            "q",
            archive::search::MAX_QUERY_CHARS,
            "words, 文号 or \"quoted phrases\", all of which must occur; empty: every document",
        ),
        int_query("year_from", 1, 9999, "documents of this year or later"),
        int_query(
            "year_to",
            1,
            9999,
            "documents of this year or earlier (before year_from: no hits)",
        ),
        str_query(
            "issuer",
            super::request::MAX_FIELD_CHARS,
            "exact issuer (empty: any)",
        ),
        str_query(
            "type",
            super::request::MAX_FIELD_CHARS,
            "document type, e.g. 通知 (empty: any)",
        ),
        str_query(
            "attribute",
            super::request::MAX_FIELD_CHARS,
            "e.g. 此件公开发布 (empty: any)",
        ),
        json!({"name": "sort", "in": "query", "required": false, "description": "empty is relevance",
               "schema": {"type": "string", "enum": ["", "relevance", "date", "date_asc"]}}),
        int_query("page", 1, super::request::MAX_PAGE as u64, "1-based"),
        int_query(
            "size",
            1,
            archive::search::MAX_LIMIT as u64,
            "hits per page",
        ),
        json!({"name": "status", "in": "query", "required": false,
               "description": "only documents with this 时效性 on as_of (empty: any); every hit carries its status on that day",
               "schema": {"type": "string", "enum": std::iter::once("").chain(archive::legal::Status::ALL.iter().map(|s| s.as_str())).collect::<Vec<_>>()}}),
        json!({"name": "as_of", "in": "query", "required": false,
               "description": "the day statuses are taken on (yyyy-mm-dd); default today (UTC)",
               "schema": {"type": "string", "format": "date"}}),
    ];
    let text = json!({
        "200": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
        "304": not_modified,
        "400": err("BadRequest"),
        "404": err("NotFound")
    });
    json!({
        "openapi": "3.0.3",
        "info": {"title": "gazette archive", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Read-only access to a government gazette archive: standard texts with citations, search, page images (IIIF Image 3.0), issues and documents as IIIF Presentation 3.0 manifests with Content Search, and OCR (ALTO). Every error is JSON {\"error\": message naming the parameter}; every other method than GET and HEAD is 405."},
        "paths": {
            "/api/search": get("Full-text search (every word, 文号 or quoted phrase must occur)", search_params,
                json_ok("total and total_relation (\"eq\": every match counted; \"gte\": at least this many, the count stopping at 10,100, and facets then empty), as_of, hits (id, title, doc_number, issuer, date, citation, snippet with <mark>, status on as_of, score: 3 for the 文号 typed, 2 for the words in the title or 文号, 1 elsewhere, 0 when sorted by date), facets by year, issuer, type. By relevance, hits come in those three groups, newest first within each",
                        object(&["total", "total_relation", "page", "size", "hits", "facets"]), false)),
            "/api/documents/{id}": get("A document's current version: fields, paragraphs with page anchors, citations, status, versions; `pending` (a new machine reading waiting beside a person's text), `gone` (what became of a document its issue no longer lists: merged, split, withdrawn, with links); `articles`; `validity` on `as_of` (status 有效, 已修改, 已废止, 失效, 尚未生效 or 未知; effective_from, expires, repealed_by, amended_by, acts_on, unresolved, each date with the sentence and page it was read from)", vec![doc_id(), as_of()], doc_responses),
            "/api/documents/{id}/versions/{n}": get("Any version of a document", vec![doc_id(), as_of(),
                json!({"name": "n", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": u32::MAX}})], version_responses),
            "/api/documents/{id}/articles/{n}": get("An article (条) of a document's current version, or a section (一、) of a notice without articles: label, headings (编/章/节), text, paragraphs (款) with page anchors, items (项), pages, citations (court: 《全称》（文号）第六条)", vec![doc_id(),
                json!({"name": "n", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 9999}})],
                json_ok("the article", object(&["document", "number", "label", "kind", "text", "paragraphs", "pages", "citations"]), true)),
            "/api/lookup": get("Documents by 文号, in any bracket or width form", vec![
                json!({"name": "doc_number", "in": "query", "required": true, "description": "e.g. 云政办发〔2017〕22号; blank finds nothing",
                       "schema": {"type": "string", "minLength": 1, "maxLength": 64}})],
                json_ok("documents", object(&["documents"]), false)),
            "/api/issues": get("Issues, by year", vec![int_query("year", 1, 9999, "only this year's")], json_ok("issues", object(&["issues"]), false)),
            "/api/changes": get("The change feed: every write in the order written (kind issue, added, revised, corrected, verified — each making its version current —, candidate — waiting, not current —, or gone — no longer listed by its issue), each with id, version, sha256, time and the url of what it records. A client following it from the start (no since) holds the current documents exactly. `next` is the cursor of the following page when more follow now, else null; `cursor` is where to resume later", vec![
                json!({"name": "since", "in": "query", "required": false, "description": "a cursor from an earlier answer (empty: from the start)",
                       "schema": {"type": "string", "pattern": "^[0-9]{0,19}$"}}),
                int_query("limit", 1, 1000, "entries per answer (default 1000)")],
                json_ok("entries", object(&["changes", "next", "cursor"]), false)),
            "/feed.atom": get("The latest 100 entries of the change feed as Atom (RFC 4287), newest first", vec![], json!({
                "200": {"description": "Atom", "content": {"application/atom+xml": {"schema": {"type": "string"}}}}})),
            "/oai": get("OAI-PMH 2.0 (Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord; oai_dc; sets yn and yn:2017; resumption tokens). Protocol errors are OAI-PMH error elements in a 200 answer, as the protocol says", vec![
                json!({"name": "verb", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "metadataPrefix", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "identifier", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "set", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "from", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "until", "in": "query", "required": false, "schema": {"type": "string"}}),
                json!({"name": "resumptionToken", "in": "query", "required": false, "schema": {"type": "string"}})],
                json!({"200": {"description": "OAI-PMH", "content": {"text/xml": {"schema": {"type": "string"}}}}})),
            "/sitemap.xml": get("Sitemap index (sitemaps.org 0.9): one sitemap per gazette and year", vec![], json!({
                "200": {"description": "sitemap index", "content": {"application/xml": {"schema": {"type": "string"}}}}})),
            "/sitemaps/{name}": get("A year's sitemap: every current document and page with its last change", vec![
                path_param("name", &format!("^{CODE}-{N9999}\\.xml$"), "yn-2017.xml", "gazette code and year")],
                json!({"200": {"description": "sitemap", "content": {"application/xml": {"schema": {"type": "string"}}}}, "404": err("NotFound")})),
            "/bulk/": get("Bulk data: per gazette and year, every current document (documents: each line as `gazette export` prints it) and every page's text with coordinates (pages), as gzipped JSON Lines; each file with its records, bytes and sha256, as of a change-feed entry", vec![],
                json!({"200": {"description": "the files", "content": {"application/json": {"schema": object(&["as_of_change", "files"])}}}})),
            "/bulk/{name}": get("A bulk file (gzip); its ETag is its sha256", vec![
                path_param("name", &format!("^{CODE}-{N9999}-(documents|pages)\\.jsonl\\.gz$"), "yn-2017-documents.jsonl.gz", "the file's name")],
                json!({"200": {"description": "gzipped JSON Lines", "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}}}},
                       "304": {"description": "not modified"}, "404": err("NotFound")})),
            "/api/coverage": get("What the archive holds and lacks: per gazette and year, the issue numbers held, those missing below the highest held, the page count and the pages whose verdict is not ok (id, printed number, verdict, reason); and the source files that could not be read at all (path, error)", vec![],
                json_ok("the coverage", object(&["gazettes", "unread_sources"]), false)),
            "/api/issues/{id}": get("An issue's contents and pages (each with its verdict and quality: the share of its characters on lines expected to be read exactly right, null when unknown; proofreading starts from the lowest; its layout: direction, script and why they were found, null for a text layer; and its region, [x, y, width, height] of the stored image it is part of when that image held two pages, a book spread, else null)", vec![issue_id()],
                json_ok("the issue", object(&["id", "documents", "pages"]), true)),
            "/api/pages/{id}/alto": get("A page's OCR as ALTO 4.4 XML", vec![page_id()], json!({
                "200": {"description": "ALTO", "content": {"application/xml": {"schema": {"type": "string"}}}},
                "400": err("BadRequest"), "404": err("NotFound")})),
            "/documents/{id}.txt": get("The standard text as plain UTF-8, headed by citation, permalink and sha256", vec![doc_id()], text),
            "/iiif/{id}/info.json": get("IIIF Image API 3.0 (level 1) information for a page image; the id is a page id or the file name of a single-page scan", vec![
                json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"}, "example": "yn-2017-05-p01"})],
                json!({"200": {"description": "image information", "content": {"application/json": {"schema": object(&["id", "width", "height"])}, "application/ld+json": {"schema": object(&["id", "width", "height"])}}},
                       "404": err("NotFound")})),
            "/iiif/presentation/collection": get("IIIF Presentation 3.0: every gazette", vec![], iiif_ok("the collection", "Collection")),
            "/iiif/presentation/collection/{code}": get("A gazette's years", vec![path_param("code", &format!("^{CODE}$"), "yn", "the gazette's code")], iiif_ok("the collection", "Collection")),
            "/iiif/presentation/collection/{code}/{year}": get("A year's issues of a gazette", vec![
                path_param("code", &format!("^{CODE}$"), "yn", "the gazette's code"),
                path_param("year", &format!("^{N9999}$"), "2017", "the year")], iiif_ok("the collection", "Collection")),
            "/iiif/presentation/issues/{id}/manifest": get("An issue: a canvas per page, a range per document, OCR annotations, search services", vec![issue_id()], iiif_ok("the manifest", "Manifest")),
            "/iiif/presentation/issues/{id}/annotations/{n}": get("A page's OCR lines as supplementing annotations", vec![issue_id(),
                path_param("n", &format!("^{N9999}$"), "1", "the page's position in the issue")], iiif_ok("the annotation page", "AnnotationPage")),
            "/iiif/presentation/documents/{id}/manifest": get("A document: its pages only", vec![doc_id()], iiif_ok("the manifest", "Manifest")),
            "/iiif/presentation/issues/{id}/search": content_search("an issue", issue_id(), false),
            "/iiif/presentation/issues/{id}/search1": content_search("an issue", issue_id(), true),
            "/iiif/presentation/documents/{id}/search": content_search("a document", doc_id(), false),
            "/iiif/presentation/documents/{id}/search1": content_search("a document", doc_id(), true),
            "/healthz": get("Liveness", vec![], json!({"200": {"description": "ok", "content": {"application/json": {"schema": object(&["status"])}}}})),
            "/api/openapi.json": get("This description", vec![], json!({"200": {"description": "OpenAPI 3.0", "content": {"application/json": {"schema": object(&["openapi", "paths"])}}}}))
        },
        "components": {"responses": {
            "BadRequest": {"description": "A parameter is invalid; the message names it", "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}},
            "NotFound": {"description": "No such id", "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}
        }}
    })
}

pub async fn openapi() -> Json<Value> {
    Json(spec())
}
