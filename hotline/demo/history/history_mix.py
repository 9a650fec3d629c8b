"""The figures the generated history follows: the Xiangtan month of the seed report.

Source: 湘潭市12345热线 2024年11月运行情况通报 (shared/seeds/002). Counts "per seed month"
are the seed's own where it gives them (30 044 accepted, 9 368 dispatched, the ten top
categories and units, the channels) and our estimate of a plausible long tail where it
does not. ``history_plan.py`` turns these figures into samplers; nothing here is code.
"""

SEED_ACCEPTED = 30044

# --- intake outcomes (shares of all orders; "answered" takes the rest) -------------------
# Seed: 68.82 % resolved at intake (answered + harassment + invalid), 31.18 % dispatched.
# We keep a little room for the rejected (不予受理) and merged (并单) orders the seed
# does not count separately.
OUTCOMES = {
    "dispatched": 0.306,
    "merged": 0.002,
    "rejected": 0.010,
    "harassment": 0.017,
    "invalid": 0.011,
}

# Shares of all orders by appeal type: the seed's five, plus a trickle of the other three
# taken from consultations and help requests.
APPEAL_TYPES = {
    "consult": 0.4118,
    "help": 0.3801,
    "complaint": 0.1935,
    "other": 0.0075,
    "suggestion": 0.0036,
    "report": 0.0020,
    "praise": 0.0010,
    "criticism": 0.0005,
}

# Appeal types of dispatched orders: mostly complaints and help requests.
APPEAL_TYPES_DISPATCHED = {
    "complaint": 0.455,
    "help": 0.445,
    "consult": 0.076,
    "report": 0.0055,
    "suggestion": 0.006,
    "other": 0.0055,
    "praise": 0.0025,
    "criticism": 0.0015,
}

# Harassment and invalid calls, as the operator typed them.
APPEAL_TYPES_NUISANCE = {"consult": 0.72, "complaint": 0.18, "other": 0.10}

APPEAL_TYPES_REJECTED = {"complaint": 0.45, "help": 0.35, "consult": 0.15, "other": 0.05}

REJECT_REASONS = {
    "vague": 30,
    "between_residents": 20,
    "legal_process": 14,
    "other_channel": 12,
    "unreasonable": 10,
    "military_or_emergency": 7,
    "party_bodies": 3,
    "secret_or_privacy": 2,
    "unlawful": 2,
}

# --- channels (orders per seed month; the phone takes the rest) -------------------------
CHANNELS_PER_MONTH = {
    "province_platform": 711,
    "mayor_mailbox": 87,
    "app": 69,
    "wechat": 45,
    "governor_mailbox": 28,
    "gov_portal": 8,
    "website": 14,
    "people_daily": 2,
    "cppcc_suggestion": 2,
    "business_line": 71,
    "npc_deputy_line": 4,
}
# 领导接听日: one morning a month a bureau head takes calls (seed: 11-21, 市商务局).
LEADER_DAY_ORDERS = 8

# The province platform's numbers for the orders it hands down (its own series).
PROVINCE_REF_PREFIX = "HN"

# The deputies who call 人大代表专席, by level: mostly the city's and the counties' own,
# a national deputy rarely. Picked by the order's number (no draw from the random
# stream, so the rest of a generated history does not move).
DEPUTY_LEVELS = (
    ("provincial",) * 1 + ("municipal",) * 4 + ("county",) * 3 + ("township",) * 2
) * 3 + ("national",)

# Channels whose orders come from a call record (the special lines are phone lines).
CALL_CHANNELS = ("phone", "business_line", "npc_deputy_line", "leader_day")

# How likely an order from a non-phone channel is dispatched; the phone share follows
# from OUTCOMES. Online messages can rarely be answered on the spot.
CHANNEL_DISPATCH = {
    "province_platform": 0.62,
    "mayor_mailbox": 0.65,
    "governor_mailbox": 0.7,
    "gov_portal": 0.7,
    "people_daily": 0.8,
    "app": 0.5,
    "wechat": 0.5,
    "website": 0.5,
    "cppcc_suggestion": 1.0,
    "business_line": 0.55,
    "npc_deputy_line": 1.0,
    "leader_day": 0.6,
}

# --- lead units of dispatched orders (per seed month) ----------------------------------
# The seed's ten (81.79 % of 9 368), then the rest of the directory.
UNITS_DISPATCHED = {
    "U-YT": 1537,
    "U-YH": 1489,
    "U-XTX": 1345,
    "U-XX": 1195,
    "U-GAJ": 489,
    "U-SCJG": 463,
    "U-SS": 343,
    "U-CFJT": 316,
    "U-ZHSW": 245,
    "U-RSJ": 240,
    # the rest (1 706)
    "U-GXQ": 205,
    "U-JKQ": 165,
    "U-ZS": 100,
    "U-CGJ": 195,
    "U-ZJJ": 180,
    "U-GAJ-JJ": 125,
    "U-YBJ": 90,
    "U-GDGS": 80,
    "U-XARQ": 65,
    "U-JYJ": 65,
    "U-STHJ": 55,
    "U-TXB": 45,
    "U-WJW": 42,
    "U-JTJ": 38,
    "U-GJJT": 35,
    "U-MZJ": 32,
    "U-GJJ": 30,
    "U-ZRZY": 26,
    "U-ZRZY-BDC": 14,
    "U-XFZD": 12,
    "U-YZJ": 12,
    "U-SLJ": 11,
    "U-FGW": 10,
    "U-NYJ": 10,
    "U-SWU": 9,
    "U-SJZY": 9,
    "U-WLGT": 8,
    "U-YJJ": 8,
    "U-JRB": 7,
    "U-TYJR": 7,
    "U-GXJ": 5,
    "U-LYJ": 5,
}

# Units that handle a category outside the dispatch catalogue (no entry names them): the
# dispatcher picks them from the content. 湘潭城发集团 runs resettlement housing, roads,
# car parks and bus terminals; the seed counts 316 of its orders.
UNIT_STREAMS = {"U-CFJT": {"01@U-CFJT": 0.55, "04@U-CFJT": 0.45}}

# --- categories (orders per seed month, by 中类, or by 大类 for general matters) --------
# The seed's ten hot categories, exact; then the long tail, each below the tenth (543), as
# relative sizes scaled to fill what the ten leave. Codes of 大类 stand for matters the
# operator classed only broadly; the catalogue has no entry for them, so they go to the
# district where they happened (territory principle).
TOP_CATEGORIES = 10
CATEGORIES_PER_MONTH = {
    "0801": 2442,  # 消费维权
    "0501": 2348,  # 社会保险
    "0701": 1184,  # 医疗保险
    "0503": 935,  # 劳动维权
    "0804": 894,  # 工商管理
    "0502": 790,  # 社保卡
    "0904": 748,  # 通信管理
    "0504": 638,  # 退休服务
    "0101": 576,  # 物业管理
    "1101": 543,  # 农村管理
    # the tail
    "0201": 430,
    "0102": 470,
    "0303": 460,
    "0104": 470,
    "1902": 470,
    "1202": 460,
    "0901": 450,
    "0902": 450,
    "1002": 450,
    "0403": 440,
    "0505": 440,
    "02": 430,
    "11": 420,
    "0103": 420,
    "0601": 410,
    "1001": 410,
    "0301": 400,
    "01": 300,
    "04": 300,
    "0401": 380,
    "0105": 380,
    "0802": 370,
    "0903": 360,
    "0202": 340,
    "1501": 330,
    "19": 330,
    "13": 320,
    "10": 300,
    "03": 290,
    "1301": 290,
    "0803": 290,
    "0204": 290,
    "0905": 290,
    "08": 260,
    "09": 240,
    "18": 240,
    "0402": 240,
    "1302": 240,
    "1304": 240,
    "06": 210,
    "0106": 200,
    "0603": 190,
    "1201": 190,
    "1801": 190,
    "1901": 190,
    "1903": 190,
    "1502": 190,
    "17": 160,
    "1601": 170,
    "0203": 150,
    "0806": 150,
    "1003": 150,
    "1102": 240,
    "1103": 150,
    "0404": 140,
    "1203": 130,
    "0805": 120,
    "0302": 110,
    "1204": 110,
    "0405": 110,
    "1303": 110,
    "1305": 110,
    "1401": 110,
    "14": 100,
    "05": 200,
    "07": 120,
    "15": 100,
    "16": 90,
    "1701": 140,
    "1403": 70,
    "0602": 60,
    "0702": 60,
    "1402": 55,
    "1702": 50,
    "1802": 50,
    "0304": 45,
}

# Weight of each category code within its 中类 (default 1) and its tendency to be
# dispatched rather than answered at intake (default 1): wage arrears and prepaid cards
# need a unit's action, a social-security card question rarely does.
ITEM_WEIGHTS = {
    "010101": 3,
    "010102": 4,
    "0102": 1.2,
    "010201": 2.5,
    "080101": 3,
    "080102": 2,
    "080103": 2.5,
    "080104": 1.5,
    "050101": 4,
    "050102": 1.5,
    "050103": 1,
    "050104": 1.5,
    "050301": 3,
    "050302": 2,
    "080401": 4,
    "070101": 3,
    "070102": 3,
    "070103": 1.5,
    "070104": 0.5,
    "090401": 3,
    "090402": 1.5,
    "090403": 1.5,
    "090404": 2,
    "050401": 2,
    "050402": 1.5,
    "0303": 1.4,
    "030302": 1.4,
    "030101": 1.5,
    "100201": 1.5,
    "100202": 1.5,
    "120201": 3,
}

DISPATCH_PROPENSITY = {
    "050301": 4,
    "050302": 2,
    "080102": 3,
    "080101": 2,
    "080201": 2,
    "080402": 3,
    "050201": 0.3,
    "050202": 0.3,
    "050203": 0.3,
    "050101": 0.6,
    "050401": 0.5,
    "050402": 0.7,
    "050403": 0.7,
    "080401": 0.5,
    "080403": 0.5,
    "070102": 0.4,
    "070103": 0.6,
    "100201": 0.6,
    "100202": 0.6,
    "100203": 0.6,
    "090403": 0.4,
    "090401": 0.7,
    # Territorial matters the districts share out, kept below the seed's tenth category.
    "020101": 0.8,
    "020102": 0.8,
    "020103": 0.8,
    "02": 0.8,
    "11": 0.8,
    "010102": 0.8,
    # 农村管理 is also asked about at intake (宅基地 rules, 村务 questions).
    "110101": 0.75,
    "110102": 0.75,
    "110103": 0.75,
}

# --- places -----------------------------------------------------------------------------
# Where orders happen, by district (population-like weights); used for matters handled by
# city departments. District-led orders follow UNITS_DISPATCHED instead.
DISTRICT_WEIGHTS = {
    "430302": 0.20,  # 雨湖区
    "430304": 0.19,  # 岳塘区
    "430321": 0.21,  # 湘潭县
    "430381": 0.20,  # 湘乡市
    "430382": 0.05,  # 韶山市
    "430371": 0.07,  # 湘潭高新区
    "430372": 0.05,  # 湘潭经开区
    "430373": 0.03,  # 昭山示范区
}

# --- tags (per seed month) and where they go ---------------------------------------------
# 文明创建: seed 143, "便民利民(营业执照、噪音扰民、私搭乱建、无故拒载、不合理收费)、环境卫生
# (垃圾、道路清扫、占道经营)".
TAG_RULES = {
    "文明创建": (
        143,
        ("0201", "0202", "0303", "010201", "040201", "0803", "080401", "02"),
    ),
    "涉企": (90, ("1903", "190201", "080403", "150103", "190302")),
    "最多跑一次": (60, ("080401", "010303", "0502", "100201", "1901", "190102")),
    "蓝天保卫战": (40, ("0301",)),
}
# Every business-line order is about an enterprise.
BUSINESS_LINE_TAG = "涉企"

# --- citizens ------------------------------------------------------------------------------
REPEAT_CALLER_SHARE = 0.12
ENTERPRISE_SHARE = 0.04
ANONYMOUS_SHARE = 0.08  # no name given
CONFIDENTIAL_SHARE = {"report": 0.7, "other": 0.01}
# Mobile prefixes; numbers are prefix + "0000" + four digits, a reserved-looking block no
# real subscriber holds in this pattern: see tests for the exact pattern.
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "199",
)

# --- rhythm ---------------------------------------------------------------------------------
# Relative intake per hour of the day (the hotline runs 24 hours) and per weekday.
HOURLY = (
    0.55, 0.32, 0.22, 0.18, 0.18, 0.32, 0.85, 2.1, 5.2, 8.0, 8.5, 7.6,
    4.9, 5.3, 7.6, 7.9, 7.4, 6.0, 4.4, 3.9, 3.5, 2.9, 1.9, 1.1,
)  # fmt: skip
WEEKDAY = (1.14, 1.08, 1.05, 1.03, 1.0, 0.74, 0.7)  # Monday first
HOLIDAY_FACTOR = 0.72  # a public holiday on a weekday
DAILY_NOISE = 0.05  # relative spread of a day's volume

# --- calls ---------------------------------------------------------------------------------
# Seed: 29 847 calls, 98.49 % answered.
ANSWER_RATE = 0.9849
CALLS_WITHOUT_ORDER = 0.02  # answered calls that produce no order (wrong line, transfers)
AGENTS = 64

# --- handling ------------------------------------------------------------------------------
# Shares of dispatched orders unless said otherwise.
HANDLING = {
    "redispatch": 0.006,  # the dispatcher corrects a first dispatch
    "return_accepted": 0.016,  # returned, the return accepted and re-dispatched
    "return_refused": 0.010,
    "mutual_return": 0.005,  # returned twice: difficult order, designated
    "consultation": 0.35,  # of difficult orders
    "co_units": 0.5,  # of orders whose catalogue entry names co-units
    "co_reply": 0.6,  # of orders with co-units
    "sub_dispatch": 0.25,  # of district-led orders with a town sub-unit
    "late_sign": 0.03,
    "pause": 0.010,
    "extension": 0.035,
    "extension_granted": 0.65,  # of extensions
    "late_after_refusal": 0.3,  # of refused extensions
    "overdue": 0.008,  # replied after the deadline (on purpose)
    "review_rework": 0.02,
    "rework_after_unsatisfied": 0.25,  # of unsatisfied callbacks
    "appeal": 0.25,  # of unsatisfied callbacks
    "appeal_upheld": 0.45,
    "supervision_warning": 0.01,  # normal supervision near the deadline
    "rework_supervision": 0.4,  # yellow-card supervision of a reworked order
    "instruction": 0.008,
    "spot_check": 0.03,  # of closed orders
    "split": 0.006,  # of calls: one more matter registered from the same call
}

# Seed: satisfaction of reached callbacks 90.79 %.
CALLBACK_RESULTS = {
    "satisfied": 0.77,
    "basically_satisfied": 0.105,
    "unsatisfied": 0.088,
    "unreachable": 0.037,
}
# After rework, citizens are more often content.
CALLBACK_RESULTS_AFTER_REWORK = {
    "satisfied": 0.6,
    "basically_satisfied": 0.22,
    "unsatisfied": 0.12,
    "unreachable": 0.06,
}
SPOT_CHECK_RESULTS = {
    "satisfied": 0.8,
    "basically_satisfied": 0.12,
    "unsatisfied": 0.06,
    "unreachable": 0.02,
}

# Categories where an urgent order (急办件, 24 hours) is plausible: no water, gas leaks,
# power cuts, people stuck in lifts, missing manhole covers, burst mains.
URGENT_CATEGORIES = ("090101", "090104", "090201", "090302", "080601", "010504", "110203")
URGENT_IN_THESE = 0.2
URGENT_ELSEWHERE = 0.004
