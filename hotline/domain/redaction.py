"""Citizen data taken out of text that leaves the office's hands: public and published
documents (Open311, the portal, the report's cases) and the logs. One function for all
of them, so that every output hides the same things:

- phone numbers in every way people write them: with or without the country code
  (+86, 0086), grouped by spaces, hyphens or dots (139-1234-5678, 138 0013 8000), and
  landlines with or without their area code (0731-12345678, (0731)12345678, 58581234)
  → 139****5678;
- identity card numbers, also grouped (430302 19900101 1234) → 430***********1234;
- house and room numbers (3栋201室, 3栋201, 201室, 5单元) → *栋*室; a street number
  (书院路12号) stays, it says where the problem is;
- a name after a self-introduction (我是王建国, 我叫李明, 本人张三, 我姓王) → 王某.
"""

import re

from hotline.domain.masking import mask_phone

# Digit separators people type inside a number.
_SEP = r"[ \-.\u00a0]?"
_COUNTRY = rf"(?:(?:\+|00)?86{_SEP})"
_MOBILE = rf"1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}"
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
    r"[0-9]+(?=\s*(?:栋|幢|号楼|单元|室))|(?:(?<=栋|幢)|(?<=号楼|单元))\s*[0-9]+(?![0-9*])"
)
_ROLE_WORDS = "业主|居民|市民|租户|住户|家长|村民|学生|老师|患者|职工|员工|商户|车主|司机|网友"
NAME = re.compile(
    rf"(我是|我叫|本人|我姓)(?!{_ROLE_WORDS})([\u4e00-\u9fff]{{1,3}}?)"
    r"(?=$|[\s，,。．.；;：:！!？?、（(）)]|电话|手机|联系|家住|住在|身份证|反映|投诉)"
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
    text = ID_NUMBER.sub(lambda m: mask_phone(_digits(m.group())), text or "")
    text = PHONE.sub(_masked_phone, text)
    text = LOCAL_NUMBER.sub(lambda m: mask_phone(m.group()), text)
    text = HOUSE.sub(lambda m: "*", text)
    return NAME.sub(lambda m: f"{m.group(1)}{m.group(2)[0]}某", text)
