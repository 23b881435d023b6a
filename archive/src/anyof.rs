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
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

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
        let parts: Vec<Box<dyn Scorer>> = self
            .0
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<_>>()?;
        let doc = parts.iter().map(|p| p.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(AnyOfScorer { parts, doc }))
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

struct AnyOfScorer {
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let at = self.doc;
        let mut next = TERMINATED;
        for p in &mut self.parts {
            let d = if p.doc() == at { p.advance() } else { p.doc() };
            next = next.min(d);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for p in &mut self.parts {
            let d = if p.doc() < target {
                p.seek(target)
            } else {
                p.doc()
            };
            next = next.min(d);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|p| p.size_hint())
            .fold(0u32, u32::saturating_add)
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
}
