//! QR codes for tickets and badges: SVG for pages and print, PNG for
//! download. The code carries only the ticket code.

use qrcode::{Color, EcLevel, QrCode};

fn code(data: &str) -> Option<QrCode> {
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()
}

/// An SVG (no styles, so it passes the Content-Security-Policy inline).
pub fn svg(data: &str, min_px: u32) -> String {
    match code(data) {
        Some(c) => c
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(min_px, min_px)
            .quiet_zone(true)
            .build()
            .replace("<?xml version=\"1.0\" standalone=\"yes\"?>", ""),
        None => String::new(),
    }
}

/// A grayscale PNG, `scale` pixels per module, with the 4-module quiet zone.
pub fn png(data: &str, scale: usize) -> Option<Vec<u8>> {
    let c = code(data)?;
    let modules = c.width();
    let colors = c.to_colors();
    let side = (modules + 8) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % modules + 4, i / modules + 4);
            for dy in 0..scale {
                let row = (y * scale + dy) * side;
                pixels[row + x * scale..row + x * scale + scale].fill(0);
            }
        }
    }
    let mut out = vec![];
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_and_png_carry_a_code() {
        let s = svg("ABCD2345WXYZ", 200);
        assert!(s.starts_with("<svg") && s.contains("<path"), "{s}");
        assert!(!s.contains("style"));
        let p = png("ABCD2345WXYZ", 6).expect("png");
        assert_eq!(&p[1..4], b"PNG");
        // 21 modules + 8 quiet = 29 × 6 px.
        assert_eq!(u32::from_be_bytes([p[16], p[17], p[18], p[19]]), 174);
    }
}
