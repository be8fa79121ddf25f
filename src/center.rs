//! The center every record belongs to, as every slice sees it: its public
//! identity and its time zone. The centers domain reads and edits it; the
//! others ask `centers::service` for it and show times in [`Center::tz`].

use jiff::tz::TimeZone;

use crate::clock::time_zone;
use crate::i18n::Bilingual;

#[derive(Debug, Clone)]
pub struct Center {
    pub id: String,
    pub slug: String,
    pub name: Bilingual,
    pub short_name: Bilingual,
    pub intro: Bilingual,
    pub address: Bilingual,
    pub opening_hours: Bilingual,
    pub phone: String,
    pub email: String,
    /// IANA name, e.g. `Asia/Shanghai`.
    pub timezone: String,
}

impl Center {
    /// The center's time zone (Asia/Shanghai when the name is unknown).
    pub fn tz(&self) -> TimeZone {
        time_zone(&self.timezone)
    }
}
