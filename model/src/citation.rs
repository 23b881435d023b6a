//! How the gazette is cited: one formatter for an issue and its pages, used
//! by segmentation (a document's stored `citation`), the API, the web pages
//! and the IIIF labels, so that every place prints the same words.
//!
//! A citation is made only from a whole identity: a gazette whose name was
//! never established, year 0 or issue 0 give `None`, never 《》0年第0期.

/// Strips the title marks a name may already carry.
fn bare(name: &str) -> &str {
    name.trim().trim_matches(|c| c == '《' || c == '》')
}

/// A gazette's name as titles print it, 《…》; a gazette whose name was
/// never established (given by code alone) is said to be so, never 《》.
pub fn gazette_title(name: &str) -> String {
    match bare(name) {
        "" => "（刊名未定）".to_string(),
        n => format!("《{n}》"),
    }
}

/// An issue as titles print it, 《公报》YYYY年第N期, whatever is known of
/// it (a heading must say something; a citation uses [`issue`]).
pub fn issue_title(name: &str, year: u16, number: u16) -> String {
    format!("{}{year}年第{number}期", gazette_title(name))
}

/// An issue as cited, 《公报》YYYY年第N期, when its identity is whole.
pub fn issue(name: &str, year: u16, number: u16) -> Option<String> {
    (!bare(name).is_empty() && year > 0 && number > 0).then(|| issue_title(name, year, number))
}

/// Printed pages of an issue as cited: 《公报》YYYY年第N期第X页, or 第X—Y页
/// for a span, when the identity and the first page are known.
pub fn pages(name: &str, year: u16, number: u16, first: u32, last: u32) -> Option<String> {
    if first == 0 {
        return None;
    }
    let issue = issue(name, year, number)?;
    Some(if last <= first {
        format!("{issue}第{first}页")
    } else {
        format!("{issue}第{first}—{last}页")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_from_whole_identities_only() {
        let g = "云南省人民政府公报";
        assert_eq!(gazette_title(g), "《云南省人民政府公报》");
        assert_eq!(
            gazette_title("《云南省人民政府公报》"),
            "《云南省人民政府公报》"
        );
        assert_eq!(gazette_title(" "), "（刊名未定）");
        assert_eq!(issue_title("", 2017, 5), "（刊名未定）2017年第5期");
        assert_eq!(
            issue(g, 2017, 5).unwrap(),
            "《云南省人民政府公报》2017年第5期"
        );
        assert_eq!(issue("", 2017, 5), None);
        assert_eq!(issue(g, 0, 5), None);
        assert_eq!(issue(g, 2017, 0), None);
        assert_eq!(
            pages(g, 2017, 5, 3, 3).unwrap(),
            "《云南省人民政府公报》2017年第5期第3页"
        );
        assert_eq!(
            pages(g, 2017, 5, 3, 7).unwrap(),
            "《云南省人民政府公报》2017年第5期第3—7页"
        );
        assert_eq!(pages(g, 2017, 5, 0, 7), None);
        assert_eq!(pages(g, 0, 5, 3, 7), None);
    }
}
