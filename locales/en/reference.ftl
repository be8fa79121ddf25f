# Reference data shared by every domain: language names by primary BCP 47 subtag.
language-ar = Arabic
language-de = German
language-en = English
language-es = Spanish
language-fr = French
language-it = Italian
language-ja = Japanese
language-ko = Korean
language-pt = Portuguese
language-ru = Russian
language-th = Thai
language-vi = Vietnamese
language-zh = Chinese
# Scripts, for language variants (zh-Hans → Chinese (Simplified)).
script-Hans = Simplified
script-Hant = Traditional
language-other = Other languages
language-other-hint = Any other language, as a code such as "nl" or "de-AT".
language-pick = Language
