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

/// Countries in the reader's order: by pinyin (then tone) for Chinese, as
/// a Chinese dictionary orders them, alphabetically for English.
pub fn options(lang: Lang) -> Vec<Country> {
    static ZH: OnceLock<Vec<Country>> = OnceLock::new();
    static EN: OnceLock<Vec<Country>> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| sorted_by(|c| pinyin_key(c.zh))).clone(),
        Lang::En => EN.get_or_init(|| sorted_by(|c| c.en.to_lowercase())).clone(),
    }
}

fn sorted_by(key: impl Fn(&Country) -> String) -> Vec<Country> {
    let mut all: Vec<(String, Country)> = countries().iter().map(|c| (key(c), *c)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.code.cmp(b.1.code)));
    all.into_iter().map(|(_, c)| c).collect()
}

/// A sort key for Chinese text: each character's pinyin with its tone number
/// (`a1 fu4 han4`); characters without pinyin sort as themselves.
pub fn pinyin_key(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::new();
    for (ch, py) in text.chars().zip(text.to_pinyin()) {
        if !key.is_empty() {
            key.push(' ');
        }
        match py {
            Some(p) => key.push_str(p.with_tone_num_end()),
            None => key.push(ch),
        }
    }
    key
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

    #[test]
    fn countries_come_in_the_readers_order() {
        let zh: Vec<&str> = options(Lang::Zh).iter().map(|c| c.zh).collect();
        assert_eq!(zh.len(), 249);
        // 阿尔巴尼亚 (a er), 阿尔及利亚, 阿富汗 (a fu), 阿根廷 (a gen) … 阿联酋 (a lian)
        let pos = |n: &str| zh.iter().position(|z| *z == n).unwrap();
        assert!(pos("阿尔巴尼亚") < pos("阿富汗"));
        assert!(pos("阿富汗") < pos("阿联酋"));
        assert!(pos("安道尔") > pos("阿联酋"), "an comes after a");
        assert!(pos("德国") < pos("法国") && pos("法国") < pos("英国"));
        assert_eq!(pinyin_key("德国"), "de2 guo2");
        let en: Vec<&str> = options(Lang::En).iter().map(|c| c.en).collect();
        assert_eq!(en.first(), Some(&"Afghanistan"));
        assert!(en.windows(2).all(|w| w[0].to_lowercase() <= w[1].to_lowercase()));
    }
}
