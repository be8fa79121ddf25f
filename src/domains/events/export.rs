//! The participant list as a table, written as CSV (UTF-8 with a BOM, so
//! spreadsheet programs read Chinese right) or XLSX.

use rust_xlsxwriter::{Format, Workbook};

/// Header and rows, all text.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make a spreadsheet evaluate the cell.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

pub fn csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&t.header).chain(&t.rows) {
        out.push_str(&row.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn xlsx(t: &Table, sheet: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        let t = Table {
            header: vec!["name".into(), "note".into()],
            rows: vec![
                vec!["李雷".into(), "a, \"b\"".into()],
                vec!["=HYPERLINK(1)".into(), "x".into()],
            ],
        };
        let s = csv(&t);
        assert!(s.starts_with('\u{feff}'));
        assert!(s.contains("李雷,\"a, \"\"b\"\"\"\r\n"));
        assert!(s.contains("'=HYPERLINK(1),x"));
        let x = xlsx(&t, "Participants").expect("xlsx");
        assert_eq!(&x[..2], b"PK");
    }
}
