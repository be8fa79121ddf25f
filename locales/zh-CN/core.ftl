app-name = 联络
lang-name = 中文
skip-to-content = 跳到正文
nav-label = 主导航
nav-home = 首页
nav-dashboard = 工作台
nav-users = 用户
nav-zones = 功能区
nav-settings = 中心设置
nav-audit = 审计日志
nav-login = 登录
nav-logout = 退出
nav-menu = 菜单
footer-line = 联络 Liaison · 对外交流中心管理平台
action-save = 保存
action-create = 创建
action-filter = 筛选
filter-any = 全部
filter-from = 起始日期
filter-to = 截止日期
notice-saved = 已保存。
notice-fix-errors = 请修改标出的内容后再提交。
role-admin = 管理员
role-staff = 工作人员
role-interpreter = 翻译
role-enterprise = 企业用户
role-oversight = 外办监督

## 新的保密链接（只显示一次）
link-shown-once = 请现在复制此地址：它只显示这一次。联络只保存其指纹，之后任何人（包括管理员）都无法再查到。如遗失，请重新生成；旧地址随即失效。
link-address = 地址
link-keep-secret = 持有此地址的人无需登录即可打开，请只分享给需要的人。
link-back = 完成
link-made = 生成于 { $date }
link-none = 尚未生成

## 分页列表
list-first-page = 第一页
list-next-page = 下一页
notify-approval = 待审批：{ $title }
notify-approval-body = 审批箱中有一项新申请：{ $title }。
weekday-mo = 周一
weekday-tu = 周二
weekday-we = 周三
weekday-th = 周四
weekday-fr = 周五
weekday-sa = 周六
weekday-su = 周日
