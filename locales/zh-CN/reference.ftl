# 各模块共用的参考数据：按 BCP 47 主语言子标签的语言名称。
language-ar = 阿拉伯语
language-de = 德语
language-en = 英语
language-es = 西班牙语
language-fr = 法语
language-it = 意大利语
language-ja = 日语
language-ko = 韩语
language-pt = 葡萄牙语
language-ru = 俄语
language-th = 泰语
language-vi = 越南语
language-zh = 中文
# 文字，用于语言变体（zh-Hans → 中文（简体））。
script-Hans = 简体
script-Hant = 繁体
language-other = 其他语言
language-other-hint = 其他语言请填写语言代码，例如 "nl" 或 "de-AT"。
language-pick = 语言
