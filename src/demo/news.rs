//! The demo newsroom: one article published in both languages with its
//! credits (as on the center's release), and one Chinese draft waiting for
//! review — so the public site has news and the newsroom has work.

use crate::audit::Who;
use crate::domains::news::article::service;
use crate::domains::news::model::{ArticleInput, RawArticle, Step};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const BODY_ZH: &str = "成都医学城三医创新中心（三期）对外交流中心设有城市推介、会议展览、贸易洽谈、政务服务、进出口服务和科普展示六大功能区，配备双语标识和外语服务人员。

自 2018 年以来，中心接待外国代表团参访 30 余批次，举办国际及港澳推介会、沙龙和培训等活动 40 余场；截至 2022 年底，展示厅共接待 125 批、319 人次。

## 对企业

中心为园区生物医药研发企业提供进出口一站式服务和咨询，让企业“不出园区”办成事。";

const BODY_EN: &str = "The International Exchange Center in the Tri-medical Innovation Center (Phase III) of Chengdu Medical City has six functional zones — city promotion, conferences and exhibitions, trade negotiations, government services, import-export services and science popularization — with bilingual signage and foreign-language staff.

Since 2018 it has received more than 30 visits by foreign delegations and held more than 40 events, among them international and Hong Kong-Macao promotion events, salons and trainings; by the end of 2022 its exhibition hall had welcomed 125 groups and 319 visitors.

## For enterprises

The center gives the park's biopharmaceutical R&D enterprises one-stop import-export services and consultations, so they can handle their affairs without leaving the park.";

/// Adds the demo articles if the newsroom is empty; how many were added.
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    if !service::page(state, center_id, None, "", "", 1).await?.is_empty() {
        return Ok(0);
    }
    let Some(admin) = super::admin_user(state, center_id).await? else {
        return Ok(0);
    };
    let published = ArticleInput::parse(&RawArticle {
        title_zh: "对外交流中心：六大功能区迎接世界",
        title_en: "The International Exchange Center: six zones open to the world",
        summary_zh: "中心接待外国代表团、举办推介活动，并为园区企业提供进出口一站式服务。",
        summary_en: "The center receives foreign delegations, holds promotion events and gives the park's enterprises one-stop import-export services.",
        body_zh: BODY_ZH,
        body_en: BODY_EN,
        tags: vec!["对外交流 International exchange".into()],
        source: "成都医学城 Chengdu Medical City",
        typesetter: "张敏 Zhang Min",
        ..RawArticle::default()
    })
    .map_err(AppError::Invalid)?;
    let a = service::create(state, who, &admin, center_id, published).await?;
    for step in [Step::Submit, Step::Approve, Step::Publish] {
        service::take_step(state, who, &admin, center_id, &a.id, step, None, None).await?;
    }
    let draft = ArticleInput::parse(&RawArticle {
        title_zh: "中瑞医疗器械对接会圆满举行",
        summary_zh: "来自瑞士的医疗器械企业与园区企业面对面洽谈。",
        body_zh: "对接会当天，双方企业围绕产品注册、临床合作和进出口物流开展了洽谈。",
        source: "对外交流中心",
        ..RawArticle::default()
    })
    .map_err(AppError::Invalid)?;
    let d = service::create(state, who, &admin, center_id, draft).await?;
    service::take_step(state, who, &admin, center_id, &d.id, Step::Submit, None, None).await?;
    Ok(2)
}
