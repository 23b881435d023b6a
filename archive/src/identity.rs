//! Which document of a new reading of an issue is which document already
//! stored: matched by what they are (文号, title, text, pages), never by
//! position, so an id never moves to another text when a re-segmentation
//! finds a document more or fewer. Pure: the store hands it the fields and
//! acts on the answer.

use crate::id::DocId;
use crate::model::{Fields, GoneKind};
use std::collections::HashSet;

/// The weights and floors of a match. Measured on the cases the tests
/// build (a document split in two, two merged, the same issue read with
/// other options, identically titled notices of one template): a reading
/// of the same text by other OCR settings shares over 0.8 of its character
/// pairs; two different notices of one template share 0.3–0.5.
#[derive(Clone, Debug)]
pub struct MatchParams {
    /// Text similarity (Dice over character pairs) that alone makes two
    /// readings the same document.
    pub text_alone: f64,
    /// Text similarity enough when the title or the 文号 agrees too.
    pub text_with_title: f64,
    /// Title similarity that counts as "agrees".
    pub title_agrees: f64,
    /// Share of a gone document's character pairs that must stand in a new
    /// document for it to have gone *into* that one (merged or split).
    pub contained: f64,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams {
            text_alone: 0.6,
            text_with_title: 0.3,
            title_agrees: 0.8,
            contained: 0.6,
        }
    }
}

/// A document the issue already holds, with its current fields.
pub struct Known<'a> {
    pub id: DocId,
    pub fields: &'a Fields,
}

/// The outcome: for each new document the id it continues (or `None`: a
/// new id), and for each known document left without a match, where its
/// text went.
#[derive(Debug, PartialEq)]
pub struct Matching {
    pub ids: Vec<Option<DocId>>,
    pub gone: Vec<(DocId, GoneKind, Vec<usize>)>,
}

/// Character pairs of a text, punctuation and space left out (OCR differs
/// most there).
/// Characters are folded to simplified forms first: a page read once with
/// the simplified model and once with the traditional one is one text.
fn pairs(text: &str) -> HashSet<(char, char)> {
    let cs: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric() || (*c as u32) >= 0x3400 && !is_cjk_punct(*c))
        .map(gazette_model::script::simplified)
        .collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303f | 0xfe10..=0xfe4f | 0xff00..=0xff0f | 0xff1a..=0xff20)
}

fn dice(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count() as f64;
    2.0 * common / (a.len() + b.len()) as f64
}

/// How much of `a` stands in `b`.
fn within(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.len() as f64
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(gazette_model::script::simplified)
        .collect()
}

struct Profile {
    text: HashSet<(char, char)>,
    title: HashSet<(char, char)>,
    title_plain: String,
    number: String,
    pages: (u32, u32),
}

fn profile(f: &Fields) -> Profile {
    let number = if f.doc_number_normalised.is_empty() {
        squeeze(&f.doc_number)
    } else {
        squeeze(&f.doc_number_normalised)
    };
    Profile {
        text: pairs(&f.text),
        title: pairs(&f.title),
        title_plain: squeeze(&f.title),
        number,
        pages: (f.start_page, f.end_page.max(f.start_page)),
    }
}

/// The score of `new` being `old`, or `None` when they are not the same
/// document at all.
fn score(new: &Profile, old: &Profile, k: &MatchParams) -> Option<f64> {
    let text = dice(&new.text, &old.text);
    let title = if !new.title_plain.is_empty() && new.title_plain == old.title_plain {
        1.0
    } else {
        dice(&new.title, &old.title)
    };
    let numbers_known = !new.number.is_empty() && !old.number.is_empty();
    let same_number = numbers_known && new.number == old.number;
    let agrees = title >= k.title_agrees || same_number;
    let same = text >= k.text_alone || (agrees && text >= k.text_with_title);
    if !same {
        return None;
    }
    // Pages in common, as a share of the shorter range: a tie-breaker.
    let (a0, a1) = new.pages;
    let (b0, b1) = old.pages;
    let overlap = if a0 == 0 || b0 == 0 {
        0.0
    } else {
        let common = a1.min(b1) as f64 - a0.max(b0) as f64 + 1.0;
        (common.max(0.0)) / ((a1 - a0).min(b1 - b0) as f64 + 1.0)
    };
    let number = match (numbers_known, same_number) {
        (true, true) => 0.5,
        (true, false) => -0.25,
        _ => 0.0,
    };
    Some(text + 0.5 * title + number + 0.2 * overlap)
}

/// Matches the documents of a new reading (`new`, in printed order) to the
/// ones the issue holds: one to one, best pairs first. Known documents
/// listed in the current version (`listed`) that find no match are
/// said to have gone: into the new documents that hold most of their text.
pub fn assign(new: &[&Fields], known: &[Known], listed: &[DocId], k: &MatchParams) -> Matching {
    let np: Vec<Profile> = new.iter().map(|f| profile(f)).collect();
    let kp: Vec<Profile> = known.iter().map(|d| profile(d.fields)).collect();
    let mut pairs_scored: Vec<(f64, usize, usize)> = Vec::new();
    for (i, n) in np.iter().enumerate() {
        for (j, o) in kp.iter().enumerate() {
            if let Some(s) = score(n, o, k) {
                pairs_scored.push((s, i, j));
            }
        }
    }
    // Best first; ties by printed order, then by id, so the answer never
    // depends on the order of the stored records.
    pairs_scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(known[a.2].id.cmp(&known[b.2].id))
    });
    let mut ids: Vec<Option<DocId>> = vec![None; new.len()];
    let mut taken = vec![false; known.len()];
    for (_, i, j) in pairs_scored {
        if ids[i].is_none() && !taken[j] {
            ids[i] = Some(known[j].id.clone());
            taken[j] = true;
        }
    }
    let mut gone = Vec::new();
    for (j, d) in known.iter().enumerate() {
        if taken[j] || !listed.contains(&d.id) {
            continue;
        }
        let into: Vec<usize> = np
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                within(&kp[j].text, &n.text) >= k.contained
                    || within(&n.text, &kp[j].text) >= k.contained
            })
            .map(|(i, _)| i)
            .collect();
        let kind = match into.len() {
            0 => GoneKind::Withdrawn,
            1 => GoneKind::Merged,
            _ => GoneKind::Split,
        };
        gone.push((d.id.clone(), kind, into));
    }
    Matching { ids, gone }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(title: &str, number: &str, text: &str, pages: (u32, u32)) -> Fields {
        Fields {
            title: title.into(),
            doc_number: number.into(),
            doc_number_normalised: number.into(),
            text: text.into(),
            start_page: pages.0,
            end_page: pages.1,
            ..Default::default()
        }
    }

    fn id(n: u16) -> DocId {
        format!("yn-2017-05-{n:02}").parse().unwrap()
    }

    /// Stored documents numbered from 1.
    fn known(old: &[Fields]) -> Vec<Known<'_>> {
        old.iter()
            .enumerate()
            .map(|(i, f)| Known {
                id: id(i as u16 + 1),
                fields: f,
            })
            .collect()
    }

    const RULES: &str = "第一条　为了加强政务公开工作，根据有关规定，制定本办法。第二条　本办法适用于全省各级行政机关。第三条　政务公开应当坚持公正、公平、便民的原则。";
    const NOTICE: &str = "各州、市人民政府，省直各委、办、厅、局：经省人民政府同意，现将2017年春节放假安排通知如下。";
    const ORDER: &str = "省人民政府决定，对在抗洪救灾工作中表现突出的集体和个人予以表彰。希望受表彰的单位和个人再接再厉。";

    #[test]
    fn documents_are_matched_by_what_they_are_not_where_they_stand() {
        let old = [
            f("办法", "云政发〔2017〕1号", RULES, (1, 3)),
            f("通知", "云政办发〔2017〕2号", NOTICE, (4, 4)),
        ];
        let known = known(&old);
        let listed = vec![id(1), id(2)];
        // A re-segmentation finds a document more, in front of the others,
        // and reads the notice with a character wrong.
        let notice_misread = NOTICE.replace("春节", "春苷");
        let new = [
            f("决定", "云政发〔2017〕3号", ORDER, (1, 1)),
            f("办法", "云政发〔2017〕1号", RULES, (2, 4)),
            f("通知", "云政办发〔2017〕2号", &notice_misread, (5, 5)),
        ];
        let refs: Vec<&Fields> = new.iter().collect();
        let m = assign(&refs, &known, &listed, &MatchParams::default());
        assert_eq!(m.ids, vec![None, Some(id(1)), Some(id(2))]);
        assert!(m.gone.is_empty());
    }

    #[test]
    fn a_document_merged_into_another_or_lost_says_so() {
        let old = [
            f("办法", "", RULES, (1, 3)),
            f("通知", "", NOTICE, (4, 4)),
            f("决定", "", ORDER, (5, 5)),
        ];
        let known = known(&old);
        let listed = vec![id(1), id(2), id(3)];
        // The notice is read as part of the rules; the decision is lost.
        let merged = format!("{RULES}{NOTICE}");
        let new = [f("办法", "", &merged, (1, 4))];
        let refs: Vec<&Fields> = new.iter().collect();
        let m = assign(&refs, &known, &listed, &MatchParams::default());
        assert_eq!(m.ids, vec![Some(id(1))]);
        assert_eq!(
            m.gone,
            vec![
                (id(2), GoneKind::Merged, vec![0]),
                (id(3), GoneKind::Withdrawn, vec![])
            ]
        );
    }

    #[test]
    fn notices_of_one_template_keep_their_own_ids() {
        // Two appointment notices, one title, one template: told apart by
        // their 文号 and the names in them.
        let a =
            "经研究，决定任命张三同志为省交通运输厅副厅长，免去李四同志的省交通运输厅副厅长职务。";
        let b = "经研究，决定任命王五同志为省教育厅副厅长，免去赵六同志的省教育厅副厅长职务。";
        let old = [
            f("关于人事任免的通知", "云政任〔2017〕1号", a, (1, 1)),
            f("关于人事任免的通知", "云政任〔2017〕2号", b, (2, 2)),
        ];
        let known = known(&old);
        let new = [
            f("关于人事任免的通知", "云政任〔2017〕2号", b, (1, 1)),
            f("关于人事任免的通知", "云政任〔2017〕1号", a, (2, 2)),
        ];
        let refs: Vec<&Fields> = new.iter().collect();
        let m = assign(&refs, &known, &[id(1), id(2)], &MatchParams::default());
        assert_eq!(m.ids, vec![Some(id(2)), Some(id(1))]);
    }

    #[test]
    fn a_split_document_continues_in_its_larger_part() {
        let old = [f(
            "办法",
            "云政发〔2017〕1号",
            &format!("{RULES}{ORDER}"),
            (1, 4),
        )];
        let known = known(&old);
        let new = [
            f("办法", "云政发〔2017〕1号", RULES, (1, 3)),
            f("决定", "", ORDER, (4, 4)),
        ];
        let refs: Vec<&Fields> = new.iter().collect();
        let m = assign(&refs, &known, &[id(1)], &MatchParams::default());
        assert_eq!(m.ids, vec![Some(id(1)), None]);
    }
}
