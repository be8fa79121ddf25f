# 对接洽谈：活动中的一对一会谈。
nav-matchmaking = 对接洽谈

mm-sector-biomedicine = 生物医药
mm-sector-medical-devices = 医疗器械
mm-sector-health-services = 健康服务
mm-sector-trade-logistics = 贸易与物流
mm-sector-investment = 投资
mm-topic-product = 产品
mm-topic-service = 服务
mm-topic-partnership = 合作伙伴
mm-topic-investment = 投资
mm-topic-research = 研发合作
mm-side-offer = 可提供
mm-side-need = 需求
mm-status-requested = 已邀约
mm-status-accepted = 已接受
mm-status-declined = 已婉拒
mm-status-cancelled = 已取消
mm-attendance-both-present = 双方到场
mm-attendance-requester-absent = 邀约方缺席
mm-attendance-invitee-absent = 受邀方缺席
mm-attendance-no-show = 双方均未到场
mm-outcome-follow-up = 希望后续跟进
mm-outcome-nda = 签署保密协议
mm-outcome-samples = 交换样品
mm-outcome-quotation = 报价
mm-outcome-investment-intent = 投资意向
mm-outcome-no-interest = 暂无进一步意向

mm-too-many = 此处最多 { $max } 项。
mm-window-outside = 会谈时段须在活动的某一场次之内。
mm-window-short = 该时段短于一场会谈（{ $minutes } 分钟）。
mm-table-number = 每张洽谈桌须有 1 至 999 之间且不重复的编号。
mm-table-room = 洽谈桌须设在活动场次所用的会议室内。
mm-setup-locked = 已有 { $placed } 场会谈排定：取消这些会谈前，不能更改会谈时长、间隔和时段。
mm-table-in-use = { $number } 号桌还有待进行的会谈，不能删除或减少座位。
mm-one-language = 请至少用一种语言填写。
mm-unknown-person = 该参会者不在本活动的名录中。
mm-not-yourself = 不能向自己发起会谈邀约。
mm-already-asked = 你们之间已有待答复或已安排的会谈。
mm-request-limit = 您已发出 { $limit } 个邀约，已达本活动上限：请等待答复或撤回一个。
mm-only-invitee = 只有受邀方可以接受或婉拒。
mm-transition = 该会谈已答复或已取消，不能这样变更。
mm-event-over = 本活动已不能再发起或变更会谈。
mm-slot-taken = 该时间刚被占用，请重试。
mm-not-placed = 该会谈尚未安排时间和洽谈桌。
mm-outcome-early = 会谈开始后才能记录成果。

mm-mail-request = { $who } 邀请您在“{ $event }”会谈
mm-mail-request-body = { $who } 希望在“{ $event }”与您进行一对一会谈。对方留言：{ $text }
    请在您的对接洽谈页面接受或婉拒：
mm-mail-accepted = 会谈已接受：{ $who }
mm-mail-accepted-body = 您与 { $who } 在“{ $event }”的会谈已确定，时间和洽谈桌将尽快安排，届时会再发邮件通知。您的日程：
mm-mail-placed = 会谈 { $when }，{ $table } 号桌：{ $who }
mm-mail-placed-body = 您与 { $who } 在“{ $event }”的会谈安排在 { $when }，{ $table } 号桌。您的日程（含日历文件）：
mm-mail-declined = 会谈邀约被婉拒：{ $who }
mm-mail-declined-body = { $who } 无法在“{ $event }”与您会谈。{ $text }
    您的对接洽谈页面上还有其他可能合适的参会者：
mm-mail-cancelled = 会谈已取消：{ $who }
mm-mail-cancelled-body = 您与 { $who } 在“{ $event }”的会谈（{ $when }）已取消。{ $text }
    您的对接洽谈页面：
