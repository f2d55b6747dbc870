"""Reading one cell: satisfaction levels, channels, times, months, counts and codes, as the
platforms write them. Each function returns None for what it cannot read."""

import re
import unicodedata
from datetime import date, datetime, timedelta

LEVEL_WORDS = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}
LEVEL_NAMES = {level: word for word, level in LEVEL_WORDS.items()}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_LEVEL_NUMBER = re.compile(r"^([1-5一二三四五])(?:\.0+)?(?:分|星|颗星|星级)?$")
_LEVEL_BOTH = re.compile(r"^([1-5])[-—、.:：\s]*(\D+)$|^(\D+?)[(（\[]?([1-5])(?:分|星)?[)）\]]?$")

# The channels of the national data, and the names provinces use for them, → values.Channel.
CHANNELS = {
    "web": (
        "PC端",
        "PC",
        "电脑端",
        "网页",
        "网页端",
        "网站",
        "门户网站",
        "网上办事大厅",
        "政务服务网",
        "移动端",
        "移动服务端",
        "APP",
        "手机端",
        "手机APP",
        "小程序",
        "微信",
        "微信小程序",
        "支付宝",
        "支付宝小程序",
        "H5",
        "移动政务",
    ),
    "qr": ("二维码", "扫码", "扫码评价", "二维码评价"),
    "device": (
        "评价器",
        "政务服务评价器",
        "窗口评价器",
        "平板",
        "平板电脑",
        "政务服务平板电脑",
        "政务服务终端",
        "自助终端",
        "一体机",
        "自助一体机",
        "终端",
    ),
    "sms": ("短信", "短信评价", "短信链接"),
    "other": ("默认", "默认好评", "系统默认", "其他", "其它", "电话", "电话回访", "12345", "热线"),
}
_CHANNEL_INDEX = {name.upper(): channel for channel, names in CHANNELS.items() for name in names}

_DATE_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:[-/.]\s*\d{1,2}\s*日?)?(?:\s.*)?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
EXCEL_EPOCH = datetime(1899, 12, 30)

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^\+?[0-9*×xX\-]{3,20}$")


def text(cell) -> str:
    """A cell as text: whole numbers without ".0", the rest as written, trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return str(cell).strip()


def half_width(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def level(cell) -> int | None:
    """5…1 from a number or the national words; "5星", "五星", "5-非常满意" too."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return int(cell) if float(cell).is_integer() and 1 <= cell <= 5 else None
    value = re.sub(r"\s+", "", half_width(text(cell)))
    if value in LEVEL_WORDS:
        return LEVEL_WORDS[value]
    number = _LEVEL_NUMBER.match(value)
    if number:
        digit = number.group(1)
        return _CHINESE_DIGITS.get(digit) or int(digit)
    both = _LEVEL_BOTH.match(value)
    if both:
        digit, word = (both.group(1), both.group(2)) if both.group(1) else both.group(4, 3)
        if LEVEL_WORDS.get(word) == int(digit):
            return int(digit)
    return None


def channel(cell) -> str | None:
    value = re.sub(r"\s+", "", half_width(text(cell))).upper()
    if not value:
        return "other"
    return _CHANNEL_INDEX.get(value) or _CHANNEL_INDEX.get(value.removesuffix("评价"))


def moment(cell) -> datetime | None:
    """A naive local datetime from a datetime cell, an Excel serial number, or text such as
    "2026-10-12 09:30:00", "2026/10/12 9:30", "2026年10月12日" or "20261012093000"."""
    if isinstance(cell, datetime):
        found = cell.replace(tzinfo=None, microsecond=0)
    elif isinstance(cell, date):
        found = datetime(cell.year, cell.month, cell.day)
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if not 20000 < cell < 80000:  # an Excel serial number: 1954 to 2119
            return _compact(str(int(cell))) if float(cell).is_integer() else None
        found = (EXCEL_EPOCH + timedelta(days=float(cell))).replace(microsecond=0)
    else:
        value = half_width(text(cell))
        match = _DATE_TIME.match(value)
        if match:
            found = _datetime(*match.groups())
        else:
            found = _compact(value)
    if found is None or not 2000 <= found.year <= 2100:
        return None
    return found


def _compact(value: str) -> datetime | None:
    match = _COMPACT.match(value)
    if not match or (match.group(4) and not match.group(5)):
        return None
    return _datetime(*match.groups())


def _datetime(*parts) -> datetime | None:
    try:
        return datetime(*(int(part or 0) for part in parts))
    except ValueError:
        return None


def month(cell) -> date | None:
    """The first day of the month of "2026-10", "2026年10月", "2026/10", "202610" or a date."""
    if isinstance(cell, (datetime, date)):
        return date(cell.year, cell.month, 1)
    value = half_width(text(cell)).strip()
    match = _MONTH.match(value) or _COMPACT_MONTH.match(value)
    if not match:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= number <= 12):
        return None
    return date(year, number, 1)


def count(cell) -> int | None:
    """A whole number of cases, not negative: 1234, "1,234", "1 234", "1234件"."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return int(cell) if float(cell).is_integer() and cell >= 0 else None
    value = re.sub(r"[\s,，件]", "", half_width(text(cell)))
    return int(value) if value.isascii() and value.isdigit() else None


def credit_code(cell) -> str:
    """The code in upper case without spaces (full-width letters made half-width)."""
    return re.sub(r"\s+", "", half_width(text(cell))).upper()


def _check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    """Whether `code` is a 统一社会信用代码 by GB 32100-2015: 18 characters of its alphabet,
    the last a check character over the first 17."""
    if len(code) != 18 or any(char not in CREDIT_CODE_CHARS for char in code):
        return False
    return _check_character(code[:17]) == code[17]


def with_check_character(first17: str) -> str:
    """A valid code from its first 17 characters (for tests and sample files)."""
    return first17 + _check_character(first17)


def phone(cell) -> str | None:
    """A phone number as given (masked digits "138****1234" too), or None if it is not one."""
    value = re.sub(r"[\s()（）]", "", half_width(text(cell)))
    return value if _PHONE.match(value) else None
