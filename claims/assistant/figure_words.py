"""The words around a Chinese number that say what it counts and how exactly: units, currencies,
classifiers and qualifiers, in folded form (Simplified script, ASCII, lower case: see
`sources.text.fold_chars`). Part of the language, not of any one story. Longest words first
wherever one word starts another.
"""

# Currency written after the number. "元" alone is decided by the script (TWD or CNY).
CURRENCY_AFTER = (
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("美元", "USD"),
    ("美金", "USD"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("欧元", "EUR"),
    ("人民币", "CNY"),
    ("块钱", "CNY"),
    # Money in currencies outside the contract's units: read, with unit "".
    ("日元", ""),
    ("日币", ""),
    ("日圆", ""),
    ("英镑", ""),
    ("澳元", ""),
    ("加元", ""),
    ("韩元", ""),
    ("卢布", ""),
    ("泰铢", ""),
    ("比索", ""),
    ("越南盾", ""),
)
# Currency written before the number (新台币30万元, NT$500, 人民币52万元, 日币20000).
CURRENCY_BEFORE = (
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("nt$", "TWD"),
    ("us$", "USD"),
    ("hk$", "HKD"),
    ("人民币", "CNY"),
    ("rmb", "CNY"),
    ("港币", "HKD"),
    ("美金", "USD"),
    ("美元", "USD"),
    ("欧元", "EUR"),
    ("€", "EUR"),
    ("¥", "CNY"),
    ("$", "USD"),
    ("日币", ""),
    ("日元", ""),
)
# Currency named shortly before a number in 元 (折合人民币接近五百亿元).
CURRENCY_NAMES = (
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("人民币", "CNY"),
    ("港币", "HKD"),
    ("港元", "HKD"),
    ("美金", "USD"),
    ("美元", "USD"),
    ("欧元", "EUR"),
)
# 元 that starts a word (元宵, 元旦, 元月) is not money.
NOT_YUAN = set("宵旦月素件首帅老凶气")

PEOPLE = ("个人", "人次", "人", "名", "位", "员")
# Classifiers: after a number they make it a count (600个岗位, 3起, 5家, 1.6万台).
COUNTERS = set(
    "个次家例宗项条台张篇所座架批份剂箱包只头艘辆起支枚件种间栋场轮部款颗瓶袋盒副双对组套处"
    "州省县户床趟班首本针届集章节片棵株匹题门声道枝粒盏把册笔票"
)
COUNT_WORDS = ("病例", "例次", "剂次", "人次")
# Words after 人/名/位/员/个… that make it no classifier (人民, 名单, 位置, 员工…).
NOT_AFTER_PEOPLE = {"人": "民工", "名": "单字义称次", "位": "数置于", "员": "工"}
NOT_AFTER_COUNTER = {
    "个": "性别体",
    "次": "日年",
    "家": "人属长乡庭",
    "台": "湾北中南风",
    "部": "门长",
    "道": "理路",
    "门": "诊口",
    "国": "家内际",
    "场": "所合面",
    "起": "来床",
    "所": "以有",
    "头": "发部脑",
    "张": "开",
    "班": "机级",
}

AGE = ("周岁", "岁")
# (word, unit, factor): durations and measures; units outside the contract give "".
DURATIONS = (
    ("个多月", "months", 1),
    ("多个月", "months", 1),
    ("个月", "months", 1),
    ("个多星期", "days", 7),
    ("个星期", "days", 7),
    ("个礼拜", "days", 7),
    ("星期", "days", 7),
    ("礼拜", "days", 7),
    ("周年", "years", 1),
    ("周", "days", 7),
    ("天", "days", 1),
    ("个小时", "", 1),
    ("小时", "", 1),
    ("钟头", "", 1),
    ("分钟", "", 1),
    ("秒钟", "", 1),
    ("秒", "", 1),
    ("夜", "", 1),
)
MEASURES = (
    "平方公里",
    "平方千米",
    "平方米",
    "公里",
    "千米",
    "厘米",
    "毫米",
    "英里",
    "英尺",
    "米",
    "公顷",
    "亩",
    "公斤",
    "千克",
    "毫克",
    "克",
    "斤",
    "吨",
    "公升",
    "毫升",
    "升",
    "倍",
    "分贝",
    "摄氏度",
    "度",
    "°c",
    "℃",
    "oc",
    "°",
)
# Latin measure words, read from the original case (5G and 4K are names, 5g and 4kg are not).
LATIN_MEASURES = ("kg", "mg", "km", "cm", "mm", "ml", "cc", "g", "m")

# 成 after a number is a tenth (三成 = 30%) unless it starts a word (成为, 成员, 一成不变).
NOT_TENTHS = set("为员功立长本果绩就交熟型年人不分份都")
# 年 after a number that is no duration (年级, 年代, 年纪).
NOT_YEARS = set("级代纪龄薪轻")

# Qualifiers before the number (after any currency word): longest first.
BEFORE = (
    ("不得超过", "under"),
    ("不能超过", "under"),
    ("不要超过", "under"),
    ("不会超过", "under"),
    ("不应超过", "under"),
    ("不可超过", "under"),
    ("不超过", "under"),
    ("不超出", "under"),
    ("不高于", "under"),
    ("不多于", "under"),
    ("不到", "under"),
    ("不足", "under"),
    ("未满", "under"),
    ("未达", "under"),
    ("少于", "under"),
    ("低于", "under"),
    ("至多", "under"),
    ("不少于", "at least"),
    ("不低于", "at least"),
    ("至少", "at least"),
    ("最少", "at least"),
    ("起码", "at least"),
    ("年满", "at least"),
    ("将近", "nearly"),
    ("接近", "nearly"),
    ("逼近", "nearly"),
    ("几乎", "nearly"),
    ("大约", "about"),
    ("大概", "about"),
    ("大致", "about"),
    ("约合", "about"),
    ("约", "about"),
    ("超过", "more than"),
    ("超出", "more than"),
    ("多于", "more than"),
    ("高于", "more than"),
    ("大于", "more than"),
    ("突破", "more than"),
    ("逾", "more than"),
    ("超", "more than"),
    ("近", "nearly"),
)
# Only before a bare magnitude (过万, 上千万, 破亿, 近半): elsewhere these are other words.
BEFORE_BARE = (("过", "more than"), ("破", "more than"), ("上", "at least"))
# 近 after these is "recent" (最近3例), not "nearly".
NOT_NEARLY = set("最附靠邻亲")
# Said between a qualifier and its number: 超过了500, 约有600, 约为3斤, 最少值600万.
FILLERS = set("了有达为是值")
# A qualifier, a verb of measure and what is measured, then the number: 约占世界的1/5.
MEASURING_VERBS = ("占", "为", "是", "达到", "达", "相当于")
# Vague magnitude: 数千, 几十万 (several); 成千上万 is no figure at all.
SEVERAL = set("数几")

# Qualifiers after the number and its unit.
AFTER = (
    ("以上", "at least"),
    ("以下", "under"),
    ("以内", "under"),
    ("之内", "under"),
    ("左右", "about"),
    ("上下", "about"),
    ("前后", "about"),
    ("开外", "more than"),
    ("许", "about"),
    ("内", "under"),
)
# 上下 and 前后 start other words too (上下班, 前后两张).
NOT_AFTER_QUALIFIER = {"上下": "班车楼文学", "前后": "两三几"}

RANGE_MARKS = set("-~—–至到")
