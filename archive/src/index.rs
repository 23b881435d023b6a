//! The tantivy index: one entry per document, its current version, with
//! title and standard text tokenized as folded character bigrams, the
//! metadata as filterable terms and facets. The index holds no text of its
//! own (snippets are cut from the store's text), so it can always be
//! rebuilt from the store.

use crate::error::Error;
use crate::fold;
use crate::legal::{Standing, Status};
use crate::model::Version;
use crate::ranked;
use crate::search::{Facets, Query, Sort};
use crate::tokenizer::{self, Bigram};
use gazette_model::legal::Date;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{DocSetCollector, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, EnableScoring, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, TantivyDocument, Term};

type Result<T> = std::result::Result<T, Error>;

/// Bytes of memory the index writer may use before flushing a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// Documents beyond which a segment is not merged further.
const MAX_SEGMENT_DOCS: usize = 250_000;

/// Year filters spanning fewer years than this are joined year terms, wider
/// ones a range over the year column (`SearchIndex::years_query`). Not
/// tuned: a decade of terms is cheap to join, and the bench's filters (one
/// year; 2010-2020) fall under it. Measured on the bench's 100,000
/// documents (2026-12-07, same archive, same sitting): a common phrase in
/// one year took 23.5 ms as a column range, 2.0-3.0 ms as a year term.
const YEAR_TERMS_MAX: u16 = 12;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    version: Field,
    sha256: Field,
    issue: Field,
    title: Field,
    text: Field,
    doc_number: Field,
    doc_number_key: Field,
    issuer: Field,
    doc_type: Field,
    attribute: Field,
    year: Field,
    date: Field,
    /// The order of documents by date (see [`order_key`]).
    order: Field,
    facets: Field,
    // A document's standing in law (crate::legal::Standing), as days after
    // 1970-01-01: what a status filter ranges over. An unknown first day is
    // i64::MIN (never still to come); an unknown end, repeal or amendment
    // is i64::MAX (never reached).
    legal_from: Field,
    legal_until: Field,
    repealed_from: Field,
    amended_from: Field,
    acted_by: Field,
    /// 1 where the document repeals or amends others: the few a search
    /// for what acts on a document needs to read.
    acts: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let bigram = TextFieldIndexing::default()
        .set_tokenizer(tokenizer::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(bigram);
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        version: b.add_u64_field("version", STORED),
        sha256: b.add_text_field("sha256", STORED),
        issue: b.add_text_field("issue", STRING),
        title: b.add_text_field("title", text.clone()),
        text: b.add_text_field("text", text.clone()),
        doc_number: b.add_text_field("doc_number", text.clone()),
        doc_number_key: b.add_text_field("doc_number_key", STRING),
        issuer: b.add_text_field("issuer", STRING),
        doc_type: b.add_text_field("type", STRING),
        attribute: b.add_text_field("attribute", STRING),
        year: b.add_u64_field("year", INDEXED | FAST),
        date: b.add_i64_field("date", INDEXED | FAST),
        order: b.add_i64_field(ranked::ORDER_FIELD, FAST),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        legal_from: b.add_i64_field("legal_from", INDEXED | FAST | STORED),
        legal_until: b.add_i64_field("legal_until", INDEXED | FAST | STORED),
        repealed_from: b.add_i64_field("repealed_from", INDEXED | FAST | STORED),
        amended_from: b.add_i64_field("amended_from", INDEXED | FAST | STORED),
        acted_by: b.add_text_field("acted_by", STRING | STORED),
        acts: b.add_u64_field("acts", INDEXED),
    };
    (b.build(), f)
}

/// A search's matching documents before they are dressed from the store.
pub(crate) struct Found {
    /// Matches counted: all of them when `total_exact`, else the first
    /// [`ranked::EXACT_TOTAL`].
    pub total: usize,
    pub total_exact: bool,
    pub hits: Vec<FoundHit>,
    pub facets: Facets,
}

pub(crate) struct FoundHit {
    pub id: String,
    pub version: u64,
    pub score: f32,
    pub standing: Standing,
}

/// A day as the index stores it; `none` where there is no day.
fn day(d: Option<Date>, none: i64) -> i64 {
    d.map_or(none, Date::days)
}

/// A stored day back; `None` for the sentinel.
fn undays(n: Option<i64>) -> Option<Date> {
    n.filter(|n| *n != i64::MIN && *n != i64::MAX)
        .map(Date::from_days)
}

pub(crate) struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
    writer: Mutex<Option<IndexWriter>>,
    dates: ranked::Dates,
    walk: ranked::WalkParams,
    /// Matches counted before a count is "at least": [`ranked::EXACT_TOTAL`],
    /// lowered by tests so a small archive takes the walk.
    pub(crate) exact_total: std::sync::atomic::AtomicUsize,
}

/// The date as yyyymmdd for sorting; 0 when unknown.
fn date_number(iso: &str) -> i64 {
    let digits: String = iso.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 8 {
        digits.parse().unwrap_or(0)
    } else {
        0
    }
}

/// A document's place in date order: its date, then (for documents of one
/// day, most often of one issue) its gazette, issue and place in the
/// issue, so a list by date shows an issue's documents as printed and the
/// order never depends on where the index happens to hold them. The date
/// (yyyymmdd, below 2^27) takes the high bits; the gazette code's hash, the
/// issue and the document's number 12 bits each (numbers past 4095 share
/// the last value; the hash orders gazettes arbitrarily but always alike).
fn order_key(date: i64, id: &crate::DocId) -> i64 {
    let gazette = crate::hash::sha256_hex(id.issue.gazette.as_str().as_bytes());
    let g = i64::from_str_radix(&gazette[..3], 16).unwrap_or(0);
    let twelve = |n: u16| i64::from(n.min(4095));
    (date << 36) | (g << 24) | (twelve(id.issue.issue) << 12) | twelve(id.number)
}

/// The file in the index directory naming the analysis its terms were made
/// with.
const ANALYSIS_FILE: &str = "ANALYSIS";

/// Whether the index in `dir` was made with today's analysis. An empty or
/// absent index counts as current (there is nothing to mis-match).
fn analysis_current(dir: &Path) -> bool {
    match std::fs::read_to_string(dir.join(ANALYSIS_FILE)) {
        Ok(s) => s.trim() == tokenizer::ANALYSIS_VERSION,
        Err(_) => !dir.join("meta.json").exists(),
    }
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. An index whose terms were
    /// made by another analysis (tokenizer or folding version) would
    /// silently mis-match queries, and one tantivy cannot read (another
    /// schema or index format) is no use: either is removed and created
    /// empty, and the second value is `true` so the caller rebuilds it from
    /// the store, the truth.
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool)> {
        let mut stale = dir.exists() && !analysis_current(dir);
        let mut index = match Self::open_dir(dir, stale) {
            Ok(index) => index,
            Err(e) if !stale => {
                tracing::warn!(
                    "{}: cannot open the index ({e}); rebuilding it",
                    dir.display()
                );
                stale = true;
                Self::open_dir(dir, true)?
            }
            Err(e) => return Err(e),
        };
        let (_, f) = schema();
        // Segments are searched in parallel: a broad query over a large
        // archive takes half the time on two cores.
        index.set_default_multithread_executor()?;
        index
            .tokenizers()
            .register(tokenizer::NAME, Bigram::default());
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        Ok((
            SearchIndex {
                index,
                reader,
                f,
                writer: Mutex::new(None),
                dates: ranked::Dates::default(),
                walk: ranked::WalkParams::default(),
                exact_total: ranked::EXACT_TOTAL.into(),
            },
            stale,
        ))
    }

    /// The tantivy index in `dir`, emptied first if `fresh`, with the
    /// analysis version written beside it.
    fn open_dir(dir: &Path, fresh: bool) -> Result<Index> {
        if fresh && dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let analysis = dir.join(ANALYSIS_FILE);
        if !analysis.exists() {
            std::fs::write(&analysis, format!("{}\n", tokenizer::ANALYSIS_VERSION))
                .map_err(|e| Error::io(&analysis, e))?;
        }
        let mmap = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| Error::Index(tantivy::TantivyError::from(e)))?;
        Ok(Index::open_or_create(mmap, schema().0)?)
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        // A poisoned lock means a panic while writing; the writer itself is
        // still usable (tantivy rolls back uncommitted work), so go on.
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            let w: IndexWriter = self.index.writer(WRITER_MEMORY)?;
            // Segments stop growing at MAX_SEGMENT_DOCS, so a large
            // archive keeps several and a search uses every core.
            let mut policy = tantivy::indexer::LogMergePolicy::default();
            policy.set_max_docs_before_merge(MAX_SEGMENT_DOCS);
            w.set_merge_policy(Box::new(policy));
            *guard = Some(w);
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(Error::Query("index writer unavailable".into())),
        }
    }

    fn document(&self, v: &Version, standing: &Standing) -> TantivyDocument {
        let f = &self.f;
        let x = &v.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, v.id.to_string());
        d.add_u64(f.version, v.version as u64);
        d.add_text(f.sha256, &x.sha256);
        d.add_text(f.issue, v.id.issue.to_string());
        d.add_text(f.title, &x.title);
        d.add_text(f.text, &x.text);
        if !x.doc_number.is_empty() {
            d.add_text(f.doc_number, &x.doc_number);
            d.add_text(f.doc_number_key, fold::doc_number_key(&x.doc_number));
        }
        // Each issuer of a joint document is filtered and counted on its
        // own, and the line as printed still matches.
        d.add_text(f.issuer, &x.issuer);
        let issuers = x.issuer_list();
        for i in issuers.iter().filter(|i| **i != x.issuer) {
            d.add_text(f.issuer, i);
        }
        d.add_text(f.doc_type, &x.doc_type);
        d.add_text(f.attribute, &x.attribute);
        d.add_u64(f.year, x.year as u64);
        d.add_i64(f.date, date_number(&x.date_iso));
        d.add_i64(f.order, order_key(date_number(&x.date_iso), &v.id));
        d.add_facet(f.facets, Facet::from_path(["year", &x.year.to_string()]));
        for i in &issuers {
            d.add_facet(f.facets, Facet::from_path(["issuer", i.as_str()]));
        }
        if !x.doc_type.is_empty() {
            d.add_facet(f.facets, Facet::from_path(["type", x.doc_type.as_str()]));
        }
        d.add_i64(f.legal_from, day(standing.effective_from, i64::MIN));
        d.add_i64(f.legal_until, day(standing.expires, i64::MAX));
        d.add_i64(f.repealed_from, day(standing.repealed_from, i64::MAX));
        d.add_i64(f.amended_from, day(standing.amended_from, i64::MAX));
        for id in &standing.acted_by {
            d.add_text(f.acted_by, id);
        }
        if !gazette_model::legal::references(&v.paragraphs).is_empty() {
            d.add_u64(f.acts, 1);
        }
        d
    }

    /// The standing kept with an indexed document.
    fn standing(&self, d: &TantivyDocument) -> Standing {
        let f = &self.f;
        let i = |field: Field| d.get_first(field).and_then(|v| v.as_i64());
        Standing {
            effective_from: undays(i(f.legal_from)),
            expires: undays(i(f.legal_until)),
            repealed_from: undays(i(f.repealed_from)),
            amended_from: undays(i(f.amended_from)),
            acted_by: d
                .get_all(f.acted_by)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        }
    }

    /// The standing the index holds for a document, if it is indexed.
    pub fn standing_of(&self, id: &str) -> Result<Option<Standing>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.f.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.standing(&searcher.doc(*addr)?))),
            None => Ok(None),
        }
    }

    /// The indexed documents that any of `ids` repeals or amends.
    pub fn acted_on_by_any(&self, ids: &[String]) -> Result<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let any: Vec<(Occur, Box<dyn TQuery>)> = ids
            .iter()
            .map(|id| -> (Occur, Box<dyn TQuery>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.f.acted_by, id),
                        IndexRecordOption::Basic,
                    )),
                )
            })
            .collect();
        let found = searcher.search(&BooleanQuery::new(any), &DocSetCollector)?;
        let mut out = Vec::new();
        for addr in found {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.f.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    /// Puts these versions in the index in place of any earlier version of
    /// the same documents, and removes `remove`, in one commit.
    pub fn replace(&self, versions: &[(&Version, Standing)], remove: &[String]) -> Result<()> {
        self.with_writer(|w| {
            for id in remove {
                w.delete_term(Term::from_field_text(self.f.id, id));
            }
            for (v, standing) in versions {
                w.delete_term(Term::from_field_text(self.f.id, &v.id.to_string()));
                w.add_document(self.document(v, standing))?;
            }
            w.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Empties the index (for a rebuild).
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|w| {
            w.delete_all_documents()?;
            w.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Every indexed document: id → (version, sha256). Used to reconcile
    /// the index with the store and by `verify`.
    pub fn catalog(&self) -> Result<HashMap<String, Vec<(u64, String)>>> {
        let searcher = self.reader.searcher();
        let mut out: HashMap<String, Vec<(u64, String)>> = HashMap::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc in seg.doc_ids_alive() {
                let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                let id = d
                    .get_first(self.f.id)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let version = d
                    .get_first(self.f.version)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0);
                let sha = d
                    .get_first(self.f.sha256)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                out.entry(id).or_default().push((version, sha));
            }
        }
        Ok(out)
    }

    /// Ids of the documents whose folded 文号 is `key`.
    pub fn lookup(&self, key: &str) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.f.doc_number_key, key),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(100).order_by_score())?;
        let mut out = Vec::new();
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.f.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        out.sort();
        Ok(out)
    }

    /// A segment of the query as a phrase in any of `fields`.
    fn phrase(
        &self,
        searcher: &tantivy::Searcher,
        segment: &str,
        fields: &[Field],
    ) -> Option<Box<dyn TQuery>> {
        let grams = tokenizer::bigrams(segment);
        let mut alts: Vec<Box<dyn TQuery>> = Vec::new();
        for &field in fields {
            let q: Box<dyn TQuery> = match grams.len() {
                0 => return None,
                1 if grams[0].chars().count() == 1 => {
                    // One character: any bigram starting with it. (A
                    // character that only ends a text is missed.)
                    let pat = format!("{}.?", regex_escape(&grams[0]));
                    Box::new(RegexQuery::from_pattern(&pat, field).ok()?)
                }
                1 => Box::new(TermQuery::new(
                    Term::from_field_text(field, &grams[0]),
                    IndexRecordOption::Basic,
                )),
                _ => {
                    let df: Vec<u64> = grams
                        .iter()
                        .map(|g| {
                            let t = Term::from_field_text(field, g);
                            // An unreadable count only loses the choice.
                            searcher.doc_freq(&t).unwrap_or(u64::MAX)
                        })
                        .collect();
                    let terms: Vec<(usize, Term)> = cover(&df)
                        .into_iter()
                        .map(|i| (i, Term::from_field_text(field, &grams[i])))
                        .collect();
                    Box::new(PhraseQuery::new_with_offset(terms))
                }
            };
            alts.push(q);
        }
        Some(Box::new(crate::anyof::AnyOf(alts)))
    }

    /// Documents of the years from `from` to `to` (either open). A few
    /// years are their year terms joined: each term's postings list exactly
    /// its documents, so a narrow filter leads an intersection at the cost
    /// of its own matches. A wider or open span is a range over the year
    /// column, which scans the whole column whatever it matches.
    fn years_query(&self, from: Option<u16>, to: Option<u16>) -> Box<dyn TQuery> {
        let year = |y: u16| Term::from_field_u64(self.f.year, y as u64);
        match (from, to) {
            (Some(a), Some(b)) if b >= a && b - a < YEAR_TERMS_MAX => {
                let terms: Vec<Box<dyn TQuery>> = (a..=b)
                    .map(|y| {
                        Box::new(TermQuery::new(year(y), IndexRecordOption::Basic))
                            as Box<dyn TQuery>
                    })
                    .collect();
                Box::new(crate::anyof::AnyOf(terms))
            }
            _ => Box::new(RangeQuery::new(
                from.map_or(Bound::Unbounded, |y| Bound::Included(year(y))),
                to.map_or(Bound::Unbounded, |y| Bound::Included(year(y))),
            )),
        }
    }

    /// The query's conditions: what every hit matches, and for ranking by
    /// relevance, the 文号 typed (its key) and the text in the title or
    /// 文号 field.
    fn conditions(&self, q: &Query, searcher: &tantivy::Searcher) -> Conditions {
        let f = &self.f;
        let mut must: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut in_title: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let segments = crate::search::segments(&q.text);
        let mut any_text = false;
        for s in &segments {
            if let Some(p) = self.phrase(searcher, s, &[f.title, f.doc_number, f.text]) {
                must.push((Occur::Must, p));
                any_text = true;
            }
            if let Some(p) = self.phrase(searcher, s, &[f.title, f.doc_number]) {
                in_title.push((Occur::Must, p));
            }
        }
        if !segments.is_empty() && !any_text {
            // Only whitespace or nothing searchable: no match rather than all.
            must.push((Occur::Must, Box::new(EmptyQuery)));
        }
        if q.text.trim().is_empty() {
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        let term = |field: Field, v: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        // A 文号 typed in any bracket or width ranks its document first.
        let key = fold::looks_like_doc_number(&q.text)
            .then(|| term(f.doc_number_key, &fold::doc_number_key(&q.text)));
        if let Some(i) = &q.issue {
            must.push((Occur::Must, term(f.issue, &i.to_string())));
        }
        if let Some(v) = &q.issuer {
            must.push((Occur::Must, term(f.issuer, v)));
        }
        if let Some(v) = &q.doc_type {
            must.push((Occur::Must, term(f.doc_type, v)));
        }
        if let Some(v) = &q.attribute {
            must.push((Occur::Must, term(f.attribute, v)));
        }
        if q.year_from.is_some() || q.year_to.is_some() {
            must.push((Occur::Must, self.years_query(q.year_from, q.year_to)));
        }
        if q.acting {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.acts, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(status) = q.status {
            let as_of = q.as_of.unwrap_or_else(crate::legal::today);
            must.push((Occur::Must, self.status_query(status, as_of)));
        }
        Conditions {
            all: Box::new(BooleanQuery::new(must)),
            key,
            in_title: (!in_title.is_empty())
                .then(|| Box::new(BooleanQuery::new(in_title)) as Box<dyn TQuery>),
        }
    }

    /// The query's hits, in the order asked, and their count (exact up to
    /// [`ranked::EXACT_TOTAL`]). By relevance: the document whose 文号 was
    /// typed first, then those with the text in their title or 文号, then
    /// the rest, each group newest first. Facets are counted when the
    /// count is exact.
    pub fn search(&self, q: &Query) -> Result<Found> {
        let searcher = self.reader.searcher();
        let c = self.conditions(q, &searcher);
        let scoring = EnableScoring::disabled_from_searcher(&searcher);
        let all = c.all.weight(scoring)?;
        let cap = self.exact_total.load(std::sync::atomic::Ordering::Relaxed);
        let everything = ranked::bounded(
            &searcher,
            &ranked::Select {
                query: &*all,
                except: vec![],
            },
            cap,
        )?;
        let need = q.offset + q.limit.max(1);
        let newest = q.sort != Sort::DateAsc;
        let ranked = if everything.complete {
            self.rank_counted(q, &c, &searcher, &everything, need, newest)?
        } else {
            self.rank_walked(q, &c, &searcher, &everything, need, newest)?
        };
        let f = &self.f;
        let mut out = Vec::new();
        for (score, m) in ranked.into_iter().skip(q.offset).take(q.limit.max(1)) {
            let d: TantivyDocument = searcher.doc(m.at)?;
            let id = d
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let version = d.get_first(f.version).and_then(|v| v.as_u64()).unwrap_or(0);
            out.push(FoundHit {
                id,
                version,
                score,
                standing: self.standing(&d),
            });
        }
        let facets = if q.facets && everything.complete && !everything.matches.is_empty() {
            let mut fc = FacetCollector::for_field("facets");
            fc.add_facet("/year");
            fc.add_facet("/issuer");
            fc.add_facet("/type");
            let fc = facets_of(&searcher, &everything.matches, fc)?;
            let counts = |root: &str| -> Vec<(String, u64)> {
                let mut v: Vec<(String, u64)> = fc
                    .get(root)
                    .map(|(facet, n)| {
                        let label = facet
                            .to_path()
                            .last()
                            .map(|s| s.to_string())
                            .unwrap_or_default();
                        (label, n)
                    })
                    .collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v
            };
            Facets {
                year: counts("/year"),
                issuer: counts("/issuer"),
                doc_type: counts("/type"),
            }
        } else {
            Facets::default()
        };
        Ok(Found {
            total: everything.matches.len(),
            total_exact: everything.complete,
            hits: out,
            facets,
        })
    }
}

impl SearchIndex {
    /// The first `need` hits in rank order when every match was counted:
    /// each match takes the score of the first condition it meets.
    fn rank_counted(
        &self,
        q: &Query,
        c: &Conditions,
        searcher: &tantivy::Searcher,
        everything: &ranked::Bounded,
        need: usize,
        newest: bool,
    ) -> Result<Vec<(f32, ranked::Match)>> {
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        let mut weights = Vec::new();
        if q.sort == Sort::Relevance {
            for (score, cond) in [(3.0, &c.key), (2.0, &c.in_title)] {
                if let Some(cond) = cond {
                    weights.push((score, cond.weight(scoring)?));
                }
            }
        }
        let conditions: Vec<(f32, &dyn tantivy::query::Weight)> =
            weights.iter().map(|(s, w)| (*s, &**w)).collect();
        let otherwise = if q.sort == Sort::Relevance { 1.0 } else { 0.0 };
        let mut all = ranked::grouped(searcher, &everything.matches, &conditions, otherwise)?;
        all.sort_by(|(s1, m1), (s2, m2)| {
            let by_date = if newest {
                m2.date.cmp(&m1.date)
            } else {
                m1.date.cmp(&m2.date)
            };
            s2.total_cmp(s1).then(by_date).then(m1.at.cmp(&m2.at))
        });
        all.truncate(need);
        Ok(all)
    }

    /// The first `need` hits in rank order when the matches were too many
    /// to count: each group (the 文号 typed, the words in the title or 文号,
    /// the rest) walked in date order in turn until enough are found.
    fn rank_walked(
        &self,
        q: &Query,
        c: &Conditions,
        searcher: &tantivy::Searcher,
        everything: &ranked::Bounded,
        need: usize,
        newest: bool,
    ) -> Result<Vec<(f32, ranked::Match)>> {
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        let cap = self.exact_total.load(std::sync::atomic::Ordering::Relaxed);
        // Groups in rank order: the score their hits carry, what they
        // match, and the groups before them, whose hits they leave out.
        let mut groups: Vec<(f32, Box<dyn TQuery>)> = Vec::new();
        match q.sort {
            Sort::Relevance => {
                let and = |x: &dyn TQuery| -> Box<dyn TQuery> {
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, c.all.box_clone()),
                        (Occur::Must, x.box_clone()),
                    ]))
                };
                if let Some(k) = &c.key {
                    groups.push((3.0, and(&**k)));
                }
                if let Some(t) = &c.in_title {
                    groups.push((2.0, and(&**t)));
                }
                groups.push((1.0, c.all.box_clone()));
            }
            Sort::DateDesc | Sort::DateAsc => groups.push((0.0, c.all.box_clone())),
        }
        let mut ranked: Vec<(f32, ranked::Match)> = Vec::new();
        let mut before: Vec<Box<dyn tantivy::query::Weight>> = Vec::new();
        for (i, (score, group)) in groups.iter().enumerate() {
            if ranked.len() >= need {
                break;
            }
            let w = group.weight(scoring)?;
            let select = ranked::Select {
                query: &*w,
                except: std::mem::take(&mut before),
            };
            let left = need - ranked.len();
            let b = if i + 1 == groups.len() {
                // The last group is every match less the groups before: no
                // second pass, as the walk needs only the share of matches,
                // which the whole query's pass gives (a little high, so the
                // first window is small; later ones grow).
                ranked::Bounded {
                    matches: everything.matches.clone(),
                    complete: false,
                    scanned: everything.scanned,
                }
            } else {
                ranked::bounded(searcher, &select, cap)?
            };
            let b = &b;
            let matches =
                ranked::first_by_date(searcher, &select, b, left, newest, &self.dates, &self.walk)?;
            ranked.extend(matches.into_iter().map(|m| (*score, m)));
            before = select.except;
            before.push(group.weight(scoring)?);
        }
        Ok(ranked)
    }
}

/// The bigrams that decide a phrase, given each one's document count. The
/// bigram at p holds characters p and p + 1, so bigrams at every other
/// position, with the first and last where the steps miss them, cover every
/// character: the phrase matches where they stand at their offsets. Of the
/// two such covers (even positions, odd ones), the one whose rarest bigram,
/// which leads the intersection, times its number of posting lists, whose
/// positions each candidate reads, is smaller. So a rare phrase of common
/// bigrams (职工代表大会, where 工代 is rare) checks few documents, and a
/// common phrase reads no more lists than it must. Every bigram would let
/// the rarest lead too, but measured on the bench's 100,000 documents
/// (2026-12-07) it cost more in positions read than it saved: p50 7.5 ms,
/// p99 37 ms against 5.4 and 29.
pub(crate) fn cover(df: &[u64]) -> Vec<usize> {
    let n = df.len();
    let with = |parity: usize| -> Vec<usize> {
        let mut at: Vec<usize> = (parity..n).step_by(2).collect();
        if at.first() != Some(&0) {
            at.insert(0, 0);
        }
        if at.last() != Some(&(n.saturating_sub(1))) {
            at.push(n.saturating_sub(1));
        }
        at
    };
    let cost = |at: &[usize]| -> u128 {
        let lead = at.iter().map(|&i| df[i]).min().unwrap_or(0);
        lead as u128 * at.len() as u128
    };
    let (even, odd) = (with(0), with(1));
    if n > 2 && cost(&odd) < cost(&even) {
        odd
    } else {
        even
    }
}

/// The facet counts of these matches (in index order), read from each
/// one's facet column: the query is not run again to count them, which
/// took as long as finding the matches (measured on the bench's 100,000
/// documents, 2026-12-08).
fn facets_of(
    searcher: &tantivy::Searcher,
    matches: &[DocAddress],
    fc: FacetCollector,
) -> Result<tantivy::collector::FacetCounts> {
    use tantivy::collector::{Collector, SegmentCollector};
    let mut fruits = Vec::new();
    for run in matches.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let ord = run[0].segment_ord;
        let mut seg = fc.for_segment(ord, searcher.segment_reader(ord))?;
        for m in run {
            seg.collect(m.doc_id, 1.0);
        }
        fruits.push(seg.harvest());
    }
    Ok(fc.merge_fruits(fruits)?)
}

/// A query's conditions (see [`SearchIndex::conditions`]).
struct Conditions {
    all: Box<dyn TQuery>,
    key: Option<Box<dyn TQuery>>,
    in_title: Option<Box<dyn TQuery>>,
}

impl SearchIndex {
    /// The documents whose status on `as_of` is `status`: the rules of
    /// [`Standing::status`] as ranges over the stored days.
    fn status_query(&self, status: Status, as_of: Date) -> Box<dyn TQuery> {
        let f = &self.f;
        let d = as_of.days();
        let range = |field: Field, lo: Bound<i64>, hi: Bound<i64>| -> Box<dyn TQuery> {
            let t = |n: i64| Term::from_field_i64(field, n);
            Box::new(RangeQuery::new(lo.map(t), hi.map(t)))
        };
        use Bound::{Excluded, Included, Unbounded};
        // Each condition as the status rules read it on day `d`.
        let repealed = || range(f.repealed_from, Unbounded, Included(d));
        let not_yet = || range(f.legal_from, Excluded(d), Unbounded);
        let expired = || range(f.legal_until, Unbounded, Excluded(d));
        let amended = || range(f.amended_from, Unbounded, Included(d));
        let from_known = || range(f.legal_from, Excluded(i64::MIN), Included(d));
        let from_unknown = || range(f.legal_from, Unbounded, Included(i64::MIN));
        let (yes, no): (Box<dyn TQuery>, Vec<Box<dyn TQuery>>) = match status {
            Status::Repealed => (repealed(), vec![]),
            Status::NotYet => (not_yet(), vec![repealed()]),
            Status::Expired => (expired(), vec![repealed(), not_yet()]),
            Status::Amended => (amended(), vec![repealed(), not_yet(), expired()]),
            Status::InForce => (from_known(), vec![repealed(), expired(), amended()]),
            Status::Unknown => (from_unknown(), vec![repealed(), expired(), amended()]),
        };
        let mut clauses = vec![(Occur::Must, yes)];
        clauses.extend(no.into_iter().map(|q| (Occur::MustNot, q)));
        Box::new(BooleanQuery::new(clauses))
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
