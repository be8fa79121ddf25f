//! The goods on a request (item lines), their cold-chain regime and HS code,
//! quantities kept exactly in thousandths, and the white list's balances.

use crate::codes;
use crate::error::FieldError;
use crate::validate::{required_text, text};

/// Item lines on one request.
pub const MAX_ITEMS: usize = 50;
/// Thousandths in one unit: quantities are kept exactly as integers.
pub const MILLI: i64 = 1000;
/// The largest quantity of one line (a billion units).
pub const MAX_QUANTITY: i64 = 1_000_000_000 * MILLI;

codes!(
    /// Cold-chain regimes (DOMAIN "Enterprise services").
    pub enum Regime, "regime" {
        Ambient = "ambient",
        /// 2–8 °C.
        C2To8 = "c2_8",
        /// −20 °C.
        Minus20 = "minus20",
        /// 2–20 °C.
        C2To20 = "c2_20",
        /// 15–25 °C.
        C15To25 = "c15_25",
        /// 10–30 °C.
        C10To30 = "c10_30",
    }
);

impl Regime {
    pub fn is_cold(self) -> bool {
        self != Regime::Ambient
    }
}

/// An HS code as typed (`3002.12.00.00`, `3002 1200 00`): China's 10 digits,
/// dots and spaces dropped; the shape only (the tariff is not looked up).
pub fn parse_hs(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    (code.len() == 10 && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// `3002120000` as `3002.1200.00`.
pub fn show_hs(code: &str) -> String {
    if code.len() == 10 {
        format!("{}.{}.{}", &code[..4], &code[4..8], &code[8..])
    } else {
        code.to_string()
    }
}

/// A quantity as typed (`12`, `0.5`, `1,000`), in thousandths; more than
/// three decimals, zero, negatives and nonsense are refused.
pub fn parse_quantity(typed: &str) -> Option<i64> {
    let t: String = typed.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 10
        || frac.len() > 3
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = format!("{frac:0<3}").parse().ok()?;
    let q = w.checked_mul(MILLI)?.checked_add(f)?;
    (q > 0 && q <= MAX_QUANTITY).then_some(q)
}

/// Thousandths shown as typed: `12`, `0.5`, `1.25`.
pub fn show_quantity(milli: i64) -> String {
    let (w, f) = (milli / MILLI, (milli % MILLI).abs());
    if f == 0 { w.to_string() } else { format!("{w}.{}", format!("{f:03}").trim_end_matches('0')) }
}

/// One item line as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInput {
    pub name_zh: String,
    pub name_en: String,
    /// A code of the center's item categories (checked by the service).
    pub category: String,
    pub hs_code: String,
    pub spec: String,
    pub quantity: i64,
    pub unit: String,
    pub regime: Regime,
}

/// One item line before it is checked.
#[derive(Debug, Clone, Default)]
pub struct ItemDraft<'a> {
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub category: &'a str,
    pub hs_code: &'a str,
    pub spec: &'a str,
    pub quantity: &'a str,
    pub unit: &'a str,
    pub regime: &'a str,
}

impl ItemDraft<'_> {
    pub fn is_blank(&self) -> bool {
        [self.name_zh, self.name_en, self.hs_code, self.spec, self.quantity, self.unit]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    /// All errors of line `i` at once, named `items.<i>.<field>`. One name
    /// is enough (the other language may follow); the HS code, quantity and
    /// unit are required.
    pub fn check(&self, i: usize) -> Result<ItemInput, Vec<FieldError>> {
        let at = |x: &str| format!("items.{i}.{x}");
        let mut e = vec![];
        let name_zh = text(&mut e, &at("name_zh"), self.name_zh, 200);
        let name_en = text(&mut e, &at("name_en"), self.name_en, 200);
        if name_zh.is_empty() && name_en.is_empty() && !e.iter().any(|x| x.field.contains("name")) {
            e.push(FieldError::new(at("name_zh"), "item-name-needed"));
        }
        let category = required_text(&mut e, &at("category"), self.category, 40);
        let hs_code = match parse_hs(self.hs_code) {
            Some(c) => c,
            None if self.hs_code.trim().is_empty() => {
                e.push(FieldError::new(at("hs_code"), "field-required"));
                String::new()
            }
            None => {
                e.push(FieldError::new(at("hs_code"), "item-hs-shape"));
                String::new()
            }
        };
        let spec = text(&mut e, &at("spec"), self.spec, 500);
        let quantity = parse_quantity(self.quantity).unwrap_or_else(|| {
            e.push(FieldError::new(at("quantity"), "item-quantity"));
            0
        });
        let unit = required_text(&mut e, &at("unit"), self.unit, 20);
        let regime = Regime::exact(self.regime.trim()).unwrap_or_else(|| {
            e.push(FieldError::new(at("regime"), "field-invalid-choice"));
            Regime::Ambient
        });
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ItemInput { name_zh, name_en, category, hs_code, spec, quantity, unit, regime })
    }
}

/// Checks the lines of a request: blank rows dropped, at most [`MAX_ITEMS`].
pub fn check_items(drafts: &[ItemDraft<'_>]) -> Result<Vec<ItemInput>, Vec<FieldError>> {
    if drafts.len() > MAX_ITEMS {
        return Err(vec![FieldError::new("items", "field-too-many").with("max", MAX_ITEMS)]);
    }
    let mut e = vec![];
    let mut out = vec![];
    for (i, d) in drafts.iter().enumerate() {
        if d.is_blank() {
            continue;
        }
        match d.check(i) {
            Ok(item) => out.push(item),
            Err(mut x) => e.append(&mut x),
        }
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

codes!(
    /// A line of a white-list entry's usage ledger.
    pub enum Usage, "usage" {
        /// Brought in under the entry (counts against the approved quantity).
        Imported = "imported",
        /// Used in a project (from what was imported).
        Used = "used",
        /// Destroyed (from what was imported).
        Destroyed = "destroyed",
    }
);

/// A white-list entry's figures, in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    pub approved: i64,
    pub imported: i64,
    pub used: i64,
    pub destroyed: i64,
}

impl Balance {
    /// What may still be imported under the entry.
    pub fn importable(&self) -> i64 {
        self.approved - self.imported
    }

    /// What is on hand: imported, neither used nor destroyed.
    pub fn on_hand(&self) -> i64 {
        self.imported - self.used - self.destroyed
    }

    /// The balance after a ledger line, or `None` when it would go below zero
    /// (the store's guarded UPDATE says the same under concurrency).
    pub fn after(&self, usage: Usage, quantity: i64) -> Option<Balance> {
        let mut b = *self;
        match usage {
            Usage::Imported => b.imported += quantity,
            Usage::Used => b.used += quantity,
            Usage::Destroyed => b.destroyed += quantity,
        }
        (quantity > 0 && b.importable() >= 0 && b.on_hand() >= 0).then_some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs_codes_are_ten_digits_however_typed() {
        assert_eq!(parse_hs("3002.12.00.00").as_deref(), Some("3002120000"));
        assert_eq!(parse_hs(" 3002 1200 00 ").as_deref(), Some("3002120000"));
        for bad in ["300212", "30021200001", "3002.12.00.0X", "", "３００２１２００００"]
        {
            assert_eq!(parse_hs(bad), None, "{bad}");
        }
        assert_eq!(show_hs("3002120000"), "3002.1200.00");
    }

    #[test]
    fn quantities_are_exact_thousandths() {
        assert_eq!(parse_quantity("12"), Some(12_000));
        assert_eq!(parse_quantity("0.5"), Some(500));
        assert_eq!(parse_quantity("1,000.125"), Some(1_000_125));
        for bad in ["0", "-1", "1.2345", "1e3", "", ".5", "abc", "99999999999"] {
            assert_eq!(parse_quantity(bad), None, "{bad}");
        }
        assert_eq!(show_quantity(1_250), "1.25");
        assert_eq!(show_quantity(12_000), "12");
    }

    #[test]
    fn an_item_line_names_each_wrong_field() {
        let ok = ItemDraft {
            name_en: "Monoclonal antibody reference standard",
            category: "biological_product",
            hs_code: "3002.15.00.00",
            quantity: "20",
            unit: "vials",
            regime: "c2_8",
            ..Default::default()
        }
        .check(0)
        .unwrap();
        assert_eq!((ok.regime, ok.quantity), (Regime::C2To8, 20_000));
        let bad =
            ItemDraft { hs_code: "3002", quantity: "-2", regime: "warm", ..Default::default() }
                .check(1)
                .unwrap_err();
        let f: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            f,
            [
                "items.1.name_zh",
                "items.1.category",
                "items.1.hs_code",
                "items.1.quantity",
                "items.1.unit",
                "items.1.regime"
            ]
        );
    }

    #[test]
    fn a_balance_never_goes_below_zero() {
        let b = Balance { approved: 10_000, ..Default::default() };
        let b = b.after(Usage::Imported, 6_000).unwrap();
        assert_eq!(b.after(Usage::Imported, 5_000), None, "only 4 left to import");
        let b = b.after(Usage::Used, 4_000).unwrap();
        assert_eq!(b.after(Usage::Destroyed, 2_001), None, "2 on hand");
        let b = b.after(Usage::Destroyed, 2_000).unwrap();
        assert_eq!((b.importable(), b.on_hand()), (4_000, 0));
        assert_eq!(b.after(Usage::Used, 0), None);
    }
}
