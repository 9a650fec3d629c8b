"""Citizen data taken out of text that leaves the office's hands: public and published
documents (Open311, the portal, the report's cases) and the logs. One function for all
of them, so that every output hides the same things:

- phone numbers in every way people write them: with or without the country code
  (+86, 0086), grouped by spaces, hyphens or dots (139-1234-5678, 138 0013 8000), and
  landlines with or without their area code (0731-12345678, (0731)12345678, 58581234)
  → 139****5678;
- identity card numbers, also grouped (430302 19900101 1234) → 430***********1234;
- house and room numbers (3栋201室, 3栋201, 201室, 201房, 5单元) → *栋*室; a street
  number (书院路12号) stays, it says where the problem is;
- a name after a self-introduction (我是王建国, 我叫李明, 本人张三, 我姓王), after one that
  says where the person lives first (我是3栋201的王建国, 我是隔壁小区的业主李明), or after a
  label (联系人王建国, 姓名：李明) → 王某.

Full-width digits and signs (１３９…, ＋86) are read as the ASCII ones first.
"""

import re

from hotline.domain.masking import mask_phone

# Digit separators people type inside a number.
_SEP = r"[ \-.\u00a0\u3000]?"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－（）", "0123456789+-()")
_COUNTRY = rf"(?:(?:\+|00)?86{_SEP})"
# Eleven digits, however they are grouped (139-1234-5678, 138 0013 8000, 13912 345678).
_MOBILE = rf"1[3-9](?:{_SEP}[0-9]){{9}}"
_AREA = r"(?:0[1-9][0-9]{1,2}|\(0[1-9][0-9]{1,2}\)|（0[1-9][0-9]{1,2}）)"
_LANDLINE = rf"{_AREA}{_SEP}[0-9]{{3,4}}{_SEP}[0-9]{{4}}"
PHONE = re.compile(rf"(?<![0-9+])(?:{_COUNTRY}?{_MOBILE}|{_COUNTRY}?{_LANDLINE})(?![0-9])")
_ID_SEP = r"[ \-]?"
ID_NUMBER = re.compile(
    rf"(?<![0-9])[1-9][0-9]{{5}}{_ID_SEP}(?:1[89]|20)[0-9]{{2}}[01][0-9][0-3][0-9]"
    rf"{_ID_SEP}[0-9]{{3}}[0-9Xx](?![0-9Xx])"
)
# A local number written without its area code (58581234).
LOCAL_NUMBER = re.compile(r"(?<![0-9*])[2-9][0-9]{6,7}(?![0-9])")
# A number before 栋/幢/号楼/单元/室, or right after 栋/幢/号楼/单元 (3栋201).
HOUSE = re.compile(
    r"[0-9]+(?=\s*(?:栋|幢|号楼|单元|室|房))|(?:(?<=栋|幢)|(?<=号楼|单元))\s*[0-9]+(?![0-9*])"
)
_ROLE_WORDS = "业主|居民|市民|租户|住户|家长|村民|学生|老师|患者|职工|员工|商户|车主|司机|网友"
_NAME_END = r"(?=$|[\s，,。．.；;：:！!？?、（(）)]|电话|手机|联系|家住|住在|身份证|反映|投诉)"
NAME = re.compile(rf"(我是|我叫|本人|我姓)(?!{_ROLE_WORDS})([\u4e00-\u9fff]{{1,3}}?){_NAME_END}")
# Without 我是 right before it, a name is told from other words by its family name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤易符舒瞿滕"
)
_FAMILY = rf"(?:欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|司徒|夏侯|[{_SURNAMES}])"
NAME_LATER = re.compile(
    rf"((?:我是|我叫|本人)[^\s，,。；;！!？?]{{1,20}}?的(?:{_ROLE_WORDS})?"
    r"|(?:联系人|姓名|诉求人|来电人|反映人|举报人|投诉人)[：:\s]*)"
    rf"({_FAMILY})([\u4e00-\u9fff]{{1,2}}?){_NAME_END}"
)

PHONE_SHOWN = "[电话]"


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def _masked_phone(match: re.Match) -> str:
    digits = _digits(match.group())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return mask_phone(digits)


def redact_phones(text: str) -> str:
    """Phone numbers as a placeholder, for the logs (no digit of them kept)."""
    return PHONE.sub(PHONE_SHOWN, text or "")


def redact(text: str) -> str:
    """The text as the public may read it."""
    text = (text or "").translate(_FULL_WIDTH)
    text = ID_NUMBER.sub(lambda m: mask_phone(_digits(m.group())), text)
    text = PHONE.sub(_masked_phone, text)
    text = LOCAL_NUMBER.sub(lambda m: mask_phone(m.group()), text)
    text = HOUSE.sub(lambda m: "*", text)
    text = NAME.sub(lambda m: f"{m.group(1)}{m.group(2)[0]}某", text)
    return NAME_LATER.sub(lambda m: f"{m.group(1)}{m.group(2)}某", text)
