//! A query's first hits in date order without evaluating every match.
//!
//! A broad query (a common phrase, a filter alone) matches a large part of
//! a large archive; counting, scoring and sorting every match costs time in
//! proportion to the archive. Here a query is evaluated in two ways:
//! - **bounded**: its matches in index order, stopping at [`EXACT_TOTAL`].
//!   Most queries finish: their count is exact and their few matches are
//!   sorted by date outright.
//! - **walked**: for a query that did not finish, the archive's documents
//!   are taken in date order, a window at a time (newest first, or oldest),
//!   and only the window's documents are tested against the query (a seek
//!   in each posting list), until enough hits are found. Every document in
//!   a window is newer (older) than every one in the windows after it, so
//!   the hits are exactly those a full sort would put first.
//!
//! Each segment's documents sorted by date are kept per segment (segments
//! never change once written; deleted documents are skipped by the alive
//! bitset at query time).

use crate::anyof::Probe;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED};

/// Matches counted before a count is reported as "at least": Elasticsearch's
/// default for the same trade (`track_total_hits`), and more than the
/// deepest page a request may reach (`search::MAX_OFFSET` +
/// `search::MAX_LIMIT`), so every page a request can ask for of a query
/// that finished is in the bounded matches.
pub(crate) const EXACT_TOTAL: usize = crate::search::MAX_OFFSET + crate::search::MAX_LIMIT;

/// How a walk sizes its windows. Counts of documents, not lengths: nothing
/// here scales with resolution.
#[derive(Clone, Debug)]
pub(crate) struct WalkParams {
    /// The first window holds at least this many documents: below it,
    /// creating a scorer per segment costs more than testing documents.
    pub first_window: usize,
    /// Each next window holds this many times as many as the one before,
    /// so a query whose matches are all among the oldest documents takes a
    /// handful of windows (log base 4 of the archive's size).
    pub growth: usize,
    /// How many times the expected number of documents the first window
    /// takes (expected from the bounded pass's share of matches): twice,
    /// so that one window usually suffices on the bench's query mix.
    pub margin: f64,
}

impl Default for WalkParams {
    fn default() -> Self {
        WalkParams {
            first_window: 256,
            growth: 4,
            margin: 2.0,
        }
    }
}

/// The fast field giving documents' date order: distinct for every
/// document, so the order never depends on where the index holds them.
pub(crate) const ORDER_FIELD: &str = "order";

/// One match: its place in date order (the [`ORDER_FIELD`]) and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub date: i64,
    pub at: DocAddress,
}

/// The matches of a bounded evaluation.
pub(crate) struct Bounded {
    /// In index order (segment, then document), at most `cap`.
    pub matches: Vec<DocAddress>,
    /// Whether every match was seen.
    pub complete: bool,
    /// Documents passed over to find them: the share of matches among
    /// documents is about `matches / scanned`.
    pub scanned: u64,
}

/// A query's matches less those of others, asked of documents in
/// increasing order within a segment. (tantivy's own exclusion asks a
/// phrase scorer about documents behind it, which its debug assertions
/// refuse; here a scorer is only moved forward.)
pub(crate) struct Select<'a> {
    pub query: &'a dyn Weight,
    pub except: Vec<Box<dyn Weight>>,
}

/// The scorers of the excepted queries in one segment.
struct Except(Vec<Probe>);

impl Except {
    fn new(s: &Select<'_>, reader: &tantivy::SegmentReader) -> tantivy::Result<Except> {
        let probes = s
            .except
            .iter()
            .map(|w| Ok(Probe::new(w.scorer(reader, 1.0)?)))
            .collect::<tantivy::Result<_>>()?;
        Ok(Except(probes))
    }

    /// Whether `doc` matches an excepted query; `doc` never decreases
    /// between calls.
    fn contains(&mut self, doc: DocId) -> bool {
        self.0.iter_mut().any(|p| p.holds(doc))
    }
}

/// Evaluates `s` in index order, stopping at `cap` live matches.
pub(crate) fn bounded(searcher: &Searcher, s: &Select<'_>, cap: usize) -> tantivy::Result<Bounded> {
    let mut matches = Vec::new();
    let mut scanned = 0u64;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = s.query.scorer(reader, 1.0)?;
        let mut except = Except::new(s, reader)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) && !except.contains(doc) {
                matches.push(DocAddress::new(ord as u32, doc));
                if matches.len() >= cap {
                    return Ok(Bounded {
                        matches,
                        complete: false,
                        scanned: scanned + doc as u64 + 1,
                    });
                }
            }
            doc = scorer.advance();
        }
        scanned += reader.max_doc() as u64;
    }
    Ok(Bounded {
        matches,
        complete: true,
        scanned,
    })
}

/// One segment's documents as (place in date order, doc), sorted.
type SegmentOrder = Arc<Vec<(i64, DocId)>>;

/// Each live segment's documents as (date, doc), sorted, cached by segment.
#[derive(Default)]
pub(crate) struct Dates {
    by_segment: Mutex<HashMap<SegmentId, SegmentOrder>>,
}

impl Dates {
    /// The sorted dates of every segment of `searcher`, by segment ordinal.
    /// Segments no longer searched are forgotten.
    fn of(&self, searcher: &Searcher) -> tantivy::Result<Vec<SegmentOrder>> {
        let readers = searcher.segment_readers();
        let mut missing = Vec::new();
        {
            // A poisoned lock only means a panic while inserting: the map
            // holds whole entries or none, so it is still good.
            let mut map = self.by_segment.lock().unwrap_or_else(|p| p.into_inner());
            map.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
            for r in readers {
                if !map.contains_key(&r.segment_id()) {
                    missing.push(r);
                }
            }
        }
        // Built outside the lock: a segment of 250,000 documents takes some
        // milliseconds, and concurrent searches of other segments need not
        // wait for it.
        let mut built = Vec::new();
        for r in missing {
            let column = r.fast_fields().i64(ORDER_FIELD)?;
            let mut v: Vec<(i64, DocId)> = (0..r.max_doc())
                .map(|d| (column.first(d).unwrap_or(0), d))
                .collect();
            v.sort_unstable();
            built.push((r.segment_id(), Arc::new(v)));
        }
        let mut map = self.by_segment.lock().unwrap_or_else(|p| p.into_inner());
        for (id, v) in built {
            map.entry(id).or_insert(v);
        }
        Ok(readers
            .iter()
            .map(|r| map.get(&r.segment_id()).cloned().unwrap_or_default())
            .collect())
    }
}

/// The first `need` matches of `weight` by date (newest first when
/// `newest`), ties in index order. `b` is the weight's bounded evaluation.
pub(crate) fn first_by_date(
    searcher: &Searcher,
    weight: &Select<'_>,
    b: &Bounded,
    need: usize,
    newest: bool,
    dates: &Dates,
    p: &WalkParams,
) -> tantivy::Result<Vec<Match>> {
    let mut found = if b.complete {
        dated(searcher, &b.matches)?
    } else {
        walk(searcher, weight, b, need, newest, dates, p)?
    };
    if newest {
        found.sort_by(|x, y| y.date.cmp(&x.date).then(x.at.cmp(&y.at)));
    } else {
        found.sort_by(|x, y| x.date.cmp(&y.date).then(x.at.cmp(&y.at)));
    }
    found.truncate(need);
    Ok(found)
}

/// Each of these matches (in index order) with the score of the first
/// condition it meets, or `otherwise`; its place in date order beside.
pub(crate) fn grouped(
    searcher: &Searcher,
    matches: &[DocAddress],
    conditions: &[(f32, &dyn Weight)],
    otherwise: f32,
) -> tantivy::Result<Vec<(f32, Match)>> {
    let dated = dated(searcher, matches)?;
    let mut out = Vec::with_capacity(dated.len());
    let mut segment = None;
    let mut scorers: Vec<(f32, Probe)> = Vec::new();
    for m in dated {
        if segment != Some(m.at.segment_ord) {
            segment = Some(m.at.segment_ord);
            let reader = searcher.segment_reader(m.at.segment_ord);
            scorers = conditions
                .iter()
                .map(|(score, w)| Ok((*score, Probe::new(w.scorer(reader, 1.0)?))))
                .collect::<tantivy::Result<_>>()?;
        }
        let d = m.at.doc_id;
        let score = scorers
            .iter_mut()
            .find_map(|(score, p)| p.holds(d).then_some(*score))
            .unwrap_or(otherwise);
        out.push((score, m));
    }
    Ok(out)
}

/// The dates of these documents.
fn dated(searcher: &Searcher, at: &[DocAddress]) -> tantivy::Result<Vec<Match>> {
    let mut columns = HashMap::new();
    let mut out = Vec::with_capacity(at.len());
    for a in at {
        let column = match columns.get(&a.segment_ord) {
            Some(c) => c,
            None => {
                let c = searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .i64(ORDER_FIELD)?;
                columns.entry(a.segment_ord).or_insert(c)
            }
        };
        out.push(Match {
            date: column.first(a.doc_id).unwrap_or(0),
            at: *a,
        });
    }
    Ok(out)
}

/// Documents of every segment with a date in `lo..=hi`.
fn count_in(segments: &[SegmentOrder], lo: i64, hi: i64) -> usize {
    segments
        .iter()
        .map(|s| s.partition_point(|e| e.0 <= hi) - s.partition_point(|e| e.0 < lo))
        .sum()
}

/// Matches of `weight` among the documents in date order, window by
/// window, until `need` are found or every document has been tried.
fn walk(
    searcher: &Searcher,
    weight: &Select<'_>,
    b: &Bounded,
    need: usize,
    newest: bool,
    dates: &Dates,
    p: &WalkParams,
) -> tantivy::Result<Vec<Match>> {
    let segments = dates.of(searcher)?;
    let (min, max) = segments
        .iter()
        .filter(|s| !s.is_empty())
        .fold((i64::MAX, i64::MIN), |(lo, hi), s| {
            (lo.min(s[0].0), hi.max(s[s.len() - 1].0))
        });
    let mut found = Vec::new();
    if min > max {
        return Ok(found);
    }
    // The share of documents that match, from the bounded pass.
    let share = (b.matches.len() as f64 / b.scanned.max(1) as f64).max(1e-6);
    let mut want = ((need as f64 / share * p.margin) as usize).max(p.first_window.max(1));
    // The dates not yet walked: lo..=hi.
    let (mut lo, mut hi) = (min, max);
    while lo <= hi && found.len() < need {
        // The window: the `want` newest (oldest) of the dates left, and all
        // documents of the date where it ends.
        let (a, z) = if newest {
            (edge(&segments, lo, hi, want, true), hi)
        } else {
            (lo, edge(&segments, lo, hi, want, false))
        };
        for (ord, s) in segments.iter().enumerate() {
            let from = s.partition_point(|e| e.0 < a);
            let to = s.partition_point(|e| e.0 <= z);
            if from == to {
                continue;
            }
            let mut docs: Vec<DocId> = s[from..to].iter().map(|e| e.1).collect();
            docs.sort_unstable();
            let reader = searcher.segment_reader(ord as u32);
            let alive = reader.alive_bitset();
            let mut probe = Probe::new(weight.query.scorer(reader, 1.0)?);
            let mut except = Except::new(weight, reader)?;
            let column = reader.fast_fields().i64(ORDER_FIELD)?;
            for d in docs {
                if probe.done() {
                    break;
                }
                if probe.holds(d) && alive.is_none_or(|x| x.is_alive(d)) && !except.contains(d) {
                    found.push(Match {
                        date: column.first(d).unwrap_or(0),
                        at: DocAddress::new(ord as u32, d),
                    });
                }
            }
        }
        if newest {
            hi = a - 1;
        } else {
            lo = z + 1;
        }
        want = want.saturating_mul(p.growth.max(2));
    }
    Ok(found)
}

/// Where a window of at least `want` documents within `lo..=hi` ends: the
/// lowest date `a` with `want` documents in `a..=hi` (`newest`), or the
/// highest `z` with `want` in `lo..=z`; the whole range when it holds fewer.
fn edge(segments: &[SegmentOrder], lo: i64, hi: i64, want: usize, newest: bool) -> i64 {
    if count_in(segments, lo, hi) <= want {
        return if newest { lo } else { hi };
    }
    // Binary search over the dates' values: the count is monotonic in the
    // window's edge.
    let (mut l, mut h) = (lo, hi);
    if newest {
        // The largest a with count_in(a, hi) >= want.
        while l < h {
            let m = l + (h - l + 1) / 2;
            if count_in(segments, m, hi) >= want {
                l = m;
            } else {
                h = m - 1;
            }
        }
    } else {
        // The smallest z with count_in(lo, z) >= want.
        while l < h {
            let m = l + (h - l) / 2;
            if count_in(segments, lo, m) >= want {
                h = m;
            } else {
                l = m + 1;
            }
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STRING};
    use tantivy::{doc, Index, Term};

    /// Documents with a date and a tag; several segments, some deletions.
    /// Returns the index and each live document's (date, tag).
    fn index() -> (Index, Vec<(i64, String, u64)>) {
        let mut b = Schema::builder();
        let date = b.add_i64_field(ORDER_FIELD, INDEXED | FAST);
        let tag = b.add_text_field("tag", STRING);
        let key = b.add_u64_field("key", INDEXED);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut live = Vec::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for k in 0..3000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Dates with many ties, some unknown (0).
            let d = if x.is_multiple_of(17) {
                0
            } else {
                19_500_101 + (x % 400) as i64
            };
            let t = ["common", "rare", "old"][if x.is_multiple_of(50) {
                1
            } else if x.is_multiple_of(3) && d < 19_500_160 {
                2
            } else {
                0
            }];
            w.add_document(doc!(date => d, tag => t, key => k)).unwrap();
            live.push((d, t.to_string(), k));
            if k % 700 == 699 {
                w.commit().unwrap();
            }
        }
        // Every eleventh document deleted.
        for k in (0..3000u64).step_by(11) {
            w.delete_term(Term::from_field_u64(key, k));
        }
        live.retain(|e| e.2 % 11 != 0);
        w.commit().unwrap();
        (index, live)
    }

    #[test]
    fn walked_windows_give_what_a_full_sort_gives() {
        let (index, live) = index();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        assert!(searcher.segment_readers().len() > 2);
        let dates = Dates::default();
        // Small windows, so walks cross many window edges; and the defaults.
        let small = WalkParams {
            first_window: 1,
            growth: 2,
            margin: 0.5,
        };
        let tag = searcher.schema().get_field("tag").unwrap();
        for t in ["common", "rare", "old"] {
            let q = TermQuery::new(Term::from_field_text(tag, t), IndexRecordOption::Basic);
            let w = q
                .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                    &searcher,
                ))
                .unwrap();
            let w = Select {
                query: &*w,
                except: vec![],
            };
            let all = bounded(&searcher, &w, usize::MAX).unwrap();
            assert!(all.complete);
            let n = live.iter().filter(|e| e.1 == t).count();
            assert_eq!(all.matches.len(), n, "{t}");
            for newest in [true, false] {
                // The expected dates: every live match's, sorted.
                let mut want: Vec<i64> = live.iter().filter(|e| e.1 == t).map(|e| e.0).collect();
                want.sort();
                if newest {
                    want.reverse();
                }
                for need in [1, 10, 37, 500, n + 5] {
                    for (cap, p) in [
                        (3, &small),
                        (50, &small),
                        (3, &WalkParams::default()),
                        (usize::MAX, &small),
                    ] {
                        let b = bounded(&searcher, &w, cap).unwrap();
                        assert_eq!(b.complete, cap > n);
                        let got =
                            first_by_date(&searcher, &w, &b, need, newest, &dates, p).unwrap();
                        let got_dates: Vec<i64> = got.iter().map(|m| m.date).collect();
                        let n_want = need.min(n);
                        assert_eq!(got_dates, want[..n_want], "{t} need {need} cap {cap}");
                        // Every hit is a live match of the query, once.
                        let mut at: Vec<DocAddress> = got.iter().map(|m| m.at).collect();
                        at.sort();
                        at.dedup();
                        assert_eq!(at.len(), got.len());
                        assert!(at.iter().all(|a| all.matches.contains(a)));
                        // Ties in index order, so the walk and the sort agree
                        // on documents too, not only on dates.
                        let full =
                            first_by_date(&searcher, &w, &all, need, newest, &dates, p).unwrap();
                        assert_eq!(got, full, "{t} need {need} cap {cap} newest {newest}");
                    }
                }
            }
        }
    }
}
