//! A document matching any of several queries, moved lazily: a seek moves
//! only the parts behind the target, one document at a time.
//!
//! tantivy joins "should" clauses in a buffered union, which fills a window
//! of 4,096 documents ahead of every seek: over phrase queries that means
//! checking the positions of every candidate in the window, while the
//! search (`ranked.rs`) asks about a few documents here and there. Measured
//! on the bench's million documents: a broad phrase over title, 文号 and
//! text spent four fifths of its time refilling those windows.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED};

/// Matches what any of its parts matches; scoring is not kept (every match
/// scores 1: the search ranks by its own groups).
#[derive(Debug)]
pub(crate) struct AnyOf(pub Vec<Box<dyn Query>>);

impl Clone for AnyOf {
    fn clone(&self) -> Self {
        AnyOf(self.0.iter().map(|q| q.box_clone()).collect())
    }
}

impl Query for AnyOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .0
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(AnyOfWeight(parts)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for q in &self.0 {
            q.query_terms(visitor);
        }
    }
}

struct AnyOfWeight(Vec<Box<dyn Weight>>);

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let parts: Vec<Probe> = self
            .0
            .iter()
            .map(|w| Ok(Probe::new(w.scorer(reader, boost)?)))
            .collect::<tantivy::Result<_>>()?;
        let doc = parts.iter().map(|p| p.lower).min().unwrap_or(TERMINATED);
        Ok(Box::new(AnyOfScorer {
            parts,
            doc,
            exact: true,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) == doc {
            Ok(Explanation::new("any of", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}

/// A scorer asked about documents in increasing order, whether it holds
/// each, by `seek_danger`: a phrase scorer then checks the positions of that
/// one document, where a `seek` checks every candidate up to its next match.
/// Under a narrow filter, that is most of a common phrase's documents
/// (measured on the bench: see MEASURED.md, "The archive").
///
/// tantivy's contract: after a `seek_danger` that misses, the scorer may be
/// left where only `seek_danger` to later documents is allowed until one
/// finds; its `doc()` means nothing meanwhile. So the scorer's place is
/// kept here, never read from it.
pub(crate) struct Probe {
    scorer: Box<dyn Scorer>,
    /// No match below this. When `exact`, it is the scorer's document (or
    /// TERMINATED); else only a bound the last miss gave.
    lower: DocId,
    exact: bool,
}

impl Probe {
    pub(crate) fn new(scorer: Box<dyn Scorer>) -> Probe {
        let lower = scorer.doc();
        Probe {
            scorer,
            lower,
            exact: true,
        }
    }

    /// Whether the scorer matches `doc`. `doc` never decreases between
    /// calls (one asked twice gets the same answer).
    pub(crate) fn holds(&mut self, doc: DocId) -> bool {
        if doc >= TERMINATED || self.lower > doc {
            return false;
        }
        if self.lower == doc && self.exact {
            return true;
        }
        // Legal: when exact, the scorer is before `doc`; when not, the
        // last target was below `lower`, so below `doc`.
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                self.lower = doc;
                self.exact = true;
                true
            }
            SeekDangerResult::SeekLowerBound(bound) => {
                self.lower = bound;
                self.exact = false;
                false
            }
        }
    }

    /// Whether the scorer has no match left.
    pub(crate) fn done(&self) -> bool {
        self.lower == TERMINATED
    }

    /// The scorer's first match at or after `target`, moved there.
    pub(crate) fn settle(&mut self, target: DocId) -> DocId {
        if self.exact {
            if self.lower < target {
                self.lower = self.scorer.seek(target);
            }
            return self.lower;
        }
        let mut t = target.max(self.lower);
        while t < TERMINATED {
            match self.scorer.seek_danger(t) {
                SeekDangerResult::Found => {
                    self.lower = t;
                    self.exact = true;
                    return t;
                }
                SeekDangerResult::SeekLowerBound(bound) => t = bound,
            }
        }
        // Run out: never asked again, as nothing is below TERMINATED.
        self.lower = TERMINATED;
        self.exact = true;
        TERMINATED
    }
}

struct AnyOfScorer {
    parts: Vec<Probe>,
    /// The first match when `exact`; after a `seek_danger` that missed,
    /// only a lower bound (and only `seek_danger` may follow).
    doc: DocId,
    exact: bool,
}

impl AnyOfScorer {
    fn settle(&mut self, target: DocId) -> DocId {
        let next = self
            .parts
            .iter_mut()
            .map(|p| p.settle(target))
            .min()
            .unwrap_or(TERMINATED);
        self.doc = next;
        self.exact = true;
        next
    }
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.exact && self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target >= TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        if self.exact && self.doc >= target {
            return if self.doc == target {
                SeekDangerResult::Found
            } else {
                SeekDangerResult::SeekLowerBound(self.doc)
            };
        }
        // The parts not asked once one holds the target are settled by the
        // next advance or seek.
        let mut bound = TERMINATED;
        for p in &mut self.parts {
            if p.holds(target) {
                self.doc = target;
                self.exact = true;
                return SeekDangerResult::Found;
            }
            bound = bound.min(p.lower);
        }
        self.doc = bound;
        self.exact = false;
        SeekDangerResult::SeekLowerBound(bound)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|p| p.scorer.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    /// The parts' costs summed: a phrase's cost counts its position checks,
    /// so an intersection leads with a filter's postings rather than it.
    fn cost(&self) -> u64 {
        self.parts
            .iter()
            .map(|p| p.scorer.cost())
            .fold(0u64, u64::saturating_add)
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, STRING};
    use tantivy::{doc, Index, Term};

    /// AnyOf matches what a should-union matches, iterated and sought.
    #[test]
    fn any_of_matches_what_a_union_matches() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for k in 0..500u32 {
            let t = ["a", "b", "c", "d"][(k * 7 % 11 % 4) as usize];
            w.add_document(doc!(f => t)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::Basic,
            ))
        };
        let any = AnyOf(vec![term("a"), term("c")]);
        let union = BooleanQuery::new(vec![(Occur::Should, term("a")), (Occur::Should, term("c"))]);
        let mut want: Vec<_> = searcher
            .search(&union, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect();
        want.sort();
        let mut got: Vec<_> = searcher
            .search(&any, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(got, want);
        assert!(!want.is_empty());
        // Sought to every third document: the first match at or after it.
        let reader = searcher.segment_reader(0);
        let weight = any
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let docs: Vec<DocId> = want.iter().map(|a| a.doc_id).collect();
        let mut s = weight.scorer(reader, 1.0).unwrap();
        for target in (0..520u32).step_by(3) {
            let expect = docs
                .iter()
                .copied()
                .find(|d| *d >= target)
                .unwrap_or(TERMINATED);
            let got = if s.doc() < target {
                s.seek(target)
            } else {
                s.doc()
            };
            assert_eq!(got, expect, "{target}");
        }
    }

    /// Over phrase parts, which leave themselves invalid after a miss:
    /// AnyOf under a filter matches what the filter and the union both
    /// match, and a probe asked about rising documents answers as the set
    /// does, whatever mix of hits and misses came before.
    #[test]
    fn any_of_phrases_answers_a_filter_and_a_probe_exactly() {
        use tantivy::query::PhraseQuery;
        use tantivy::schema::TEXT;
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let g = b.add_text_field("g", TEXT);
        let kind = b.add_text_field("kind", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["x", "y", "z"];
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..3000 {
            let text = |n: &mut dyn FnMut() -> usize| {
                (0..6).map(|_| words[n() % 3]).collect::<Vec<_>>().join(" ")
            };
            let (a, c) = (text(&mut next), text(&mut next));
            let k = ["p", "q", "r", "s", "t"][next() % 5];
            w.add_document(doc!(f => a, g => c, kind => k)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let phrase = |field, ws: &[&str]| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(
                ws.iter().map(|t| Term::from_field_text(field, t)).collect(),
            ))
        };
        let filter = || -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(kind, "p"),
                IndexRecordOption::Basic,
            ))
        };
        let parts = || vec![phrase(f, &["x", "y", "x"]), phrase(g, &["z", "z", "y"])];
        let docs = |q: &dyn Query| -> Vec<DocId> {
            let mut v: Vec<DocId> = searcher
                .search(q, &DocSetCollector)
                .unwrap()
                .into_iter()
                .map(|a| a.doc_id)
                .collect();
            v.sort();
            v
        };
        let union: Vec<Box<dyn Query>> = parts();
        let union = BooleanQuery::new(union.into_iter().map(|q| (Occur::Should, q)).collect());
        let want = docs(&BooleanQuery::new(vec![
            (Occur::Must, filter()),
            (Occur::Must, Box::new(union.clone())),
        ]));
        let got = docs(&BooleanQuery::new(vec![
            (Occur::Must, filter()),
            (Occur::Must, Box::new(AnyOf(parts()))),
        ]));
        assert!(want.len() > 20, "{}", want.len());
        assert_eq!(got, want);
        // A probe over rising documents, some asked twice.
        let all = docs(&union);
        let weight = AnyOf(parts())
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let mut probe = Probe::new(weight.scorer(searcher.segment_reader(0), 1.0).unwrap());
        let mut asked = 0;
        for d in 0..3000u32 {
            if next() % 3 == 0 {
                continue;
            }
            asked += 1;
            assert_eq!(probe.holds(d), all.binary_search(&d).is_ok(), "{d}");
            if d % 5 == 0 {
                assert_eq!(probe.holds(d), all.binary_search(&d).is_ok(), "{d} again");
            }
            if d % 7 == 0 {
                // Settled in the middle: the first match from here.
                let expect = all.iter().copied().find(|x| *x > d).unwrap_or(TERMINATED);
                assert_eq!(probe.settle(d + 1), expect, "settle {d}");
            }
        }
        assert!(asked > 1000);
    }
}
