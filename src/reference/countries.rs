//! Countries and regions: ISO 3166-1 alpha-2 codes with reviewed Chinese
//! and English names (`countries.tsv`; Hong Kong, Macao and Taiwan named as
//! GLOSSARY.md says).

use std::sync::OnceLock;

use crate::i18n::Lang;

/// One country or region: ISO 3166-1 alpha-2 code and its reviewed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The reviewed table (`countries.tsv`), sorted by code.
pub fn countries() -> &'static [Country] {
    static TABLE: OnceLock<Vec<Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.split('\t');
                Some(Country { code: parts.next()?, zh: parts.next()?, en: parts.next()? })
            })
            .collect()
    })
}

/// A country by code, case-insensitively.
pub fn country(code: &str) -> Option<Country> {
    let code = code.trim().to_ascii_uppercase();
    countries().iter().copied().find(|c| c.code == code)
}

/// A country's name in `lang`, or the code when it is not in the table.
pub fn label(lang: Lang, code: &str) -> String {
    country(code).map(|c| lang.pick(c.zh, c.en).to_string()).unwrap_or_else(|| code.to_string())
}

/// Countries sorted for a select in the page's language.
pub fn options(lang: Lang) -> Vec<Country> {
    let mut all = countries().to_vec();
    match lang {
        Lang::En => all.sort_by(|a, b| a.en.cmp(b.en)),
        // Pinyin order needs a collator; by code is predictable.
        Lang::Zh => {}
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_table_is_complete_and_official() {
        let all = countries();
        assert_eq!(all.len(), 249);
        assert!(all.windows(2).all(|w| w[0].code < w[1].code), "sorted, no duplicates");
        assert_eq!(country("hk").map(|c| (c.zh, c.en)), Some(("中国香港", "Hong Kong, China")));
        assert_eq!(country("MO").map(|c| c.en), Some("Macao, China"));
        assert_eq!(country("TW").map(|c| c.zh), Some("中国台湾"));
        assert_eq!(country("XX"), None);
        assert_eq!(label(Lang::En, "de"), "Germany");
        assert_eq!(label(Lang::Zh, "DE"), "德国");
    }
}
