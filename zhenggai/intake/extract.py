"""Facts a document states: its organisation, dates, declared totals, and per problem its
sections, deadline and measures."""

import re
from datetime import date

from zhenggai.intake.model import Deadline, ParsedMeasure

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def cn_to_int(text: str) -> int | None:
    """Arabic or Chinese numerals ("26", "二十六", "六") as an int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[char]
    return total + current


# ---------------------------------------------------------------- dates

# A full date, or a month and day that take their year from the date before them.
DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
LOST = re.compile(r"(?<!\d)(20\d{3,5})日")  # 2021412日: digits of 年/月 lost in extraction
ISO = re.compile(r"(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def dates_in(sentence: str, year: int | None = None) -> list[str]:
    """ISO dates in a sentence, in order; a month-day without a year takes the year before."""
    found = []
    for match in DATE.finditer(sentence):
        if match.group(1):
            year = int(match.group(1))
            value = _iso(year, int(match.group(2)), int(match.group(3)))
        else:
            value = _iso(year, int(match.group(4)), int(match.group(5))) if year else None
            if value and found and value < found[-1]:
                value = _iso(year + 1, int(match.group(4)), int(match.group(5)))
        if value:
            found.append(value)
    return found


def find_dates(text: str, warnings: list[str]) -> dict:
    dates: dict = {}
    for sentence in re.split(r"[。\n]", text):
        if "巡察" in sentence and "至" in sentence and "inspection_start" not in dates:
            period = dates_in(sentence)
            if len(period) >= 2:
                dates["inspection_start"], dates["inspection_end"] = period[0], period[1]
        if "反馈" in sentence and "feedback" not in dates:
            year = int(dates["inspection_end"][:4]) if "inspection_end" in dates else None
            found = dates_in(sentence, year)
            if found:
                dates["feedback"] = found[0]
        if LOST.search(sentence) and not dates_in(sentence):
            warnings.append(
                f"a date lost characters in the source ({LOST.search(sentence).group(0)}): "
                "no date taken from it"
            )
    # The report is dated on a line of its own, under the signature.
    for line in reversed(text.splitlines()[-15:]):
        if DATE_LINE.match(line.strip()):
            dates["report"] = dates_in(line)[0]
            break
    return dates


# ---------------------------------------------------------------- organisation


def find_org(lines: list[str]) -> str | None:
    """The issuing organisation: "X党组关于…" in the title (which may run over several lines),
    else "欢迎访问X!" of the publishing site, else "X局关于…"."""
    head = "\n".join(line.strip() for line in lines[:40] if line.strip())[:1500]
    head = re.sub(r"\n+(?=关于)", "", head)  # a title set over two lines
    for pattern in (
        r"((?:中共)?[^\s，,。:：“”]{2,40}?(?:党组|党委))关于",
        r"欢迎访问([^\s!！]{2,30}?)[!！]",
        r"([^\s，,。:：“”]{2,40}?(?:局|委员会|办公室|政府|中心))关于",
    ):
        match = re.search(pattern, head)
        if match:
            return match.group(1)
    return None


TITLE_END = re.compile(r"(通报|报告|方案|反馈意见)$")


def find_title(lines: list[str]) -> str | None:
    """The document's own title: from the line that names 关于… (or ends in 方案) to the line
    that ends in 通报, 报告, 方案 or 反馈意见, with the issuing body's line above it when the
    title is set over several lines."""
    candidates = [line.strip() for line in lines[:40] if line.strip()]
    for n, line in enumerate(candidates):
        if not (line.startswith("关于") or "党组关于" in line or TITLE_END.search(line)):
            continue
        joined = line
        for extra in candidates[n + 1 : n + 3]:
            if TITLE_END.search(joined):
                break
            joined += extra
        if (
            joined.startswith("关于")
            and n
            and re.search(r"(党组|党委|局|委员会)$", candidates[n - 1])
        ):
            joined = candidates[n - 1] + joined
        if len(joined) <= 80 and TITLE_END.search(joined):
            return joined
    return None


# ---------------------------------------------------------------- declared totals

# Bounded and anchored on the left, so a long run of digits is tried once, not at every position.
N = r"(?<![\d零一二三四五六七八九十百两])(\d{1,5}|[零一二三四五六七八九十百两]{1,6})"


def find_declared(text: str) -> dict:
    declared: dict = {}
    patterns = {
        "areas": rf"{N}\s*个方面[^。，,；;]{{0,8}}问题",
        "problems": rf"{N}\s*(?:个|条|项)(?:具体|反馈)*问题",
        "long_term": rf"长期坚持的?\s*{N}\s*(?:个|项)|{N}\s*(?:个|项)(?:问题)?(?:需要?长期坚持|纳入常态化)",
        "completed": rf"(?:完成整改|已整改(?:完成)?|整改完成)\s*{N}\s*(?:个|项)",
    }
    for key, pattern in patterns.items():
        match = re.search(pattern, text)
        if match:
            value = cn_to_int(next(g for g in match.groups() if g))
            if value is not None:
                declared[key] = value
    return declared


# ---------------------------------------------------------------- per problem

# A value runs to the next separator, or to whitespace before the next "标签：".
_VALUE = r"((?:(?!\s+[\u4e00-\u9fff]{2,6}[:：])[^;；。\n）)])+)"
LEAD = re.compile(r"牵头(?:科室|单位|部门)\s*[:：]\s*" + _VALUE)
RESPONSIBLE = re.compile(r"(?:责任(?:科室|单位|部门)|配合(?:科室|单位))\s*[:：]\s*" + _VALUE)
DEADLINE = re.compile(r"(?:整改|完成)时限\s*[:：]\s*([^；;\n]+)")
RUN_IN_SPLIT = re.compile(r"(?:^|[。；;])\s*[一二三四五六七八九十]+是")
NUMBERED = re.compile(r"^(?:\d{1,3}[.．、](?!\d)|[（(]\d{1,3}[）)]|\d{1,3}[)）])\s*")


OPENING, CLOSING = "（(【[《", "）)】]》"


def units(text: str) -> list[str]:
    """Names in a list ("办公室、财务科"); a 、 inside brackets ("办公室（党建、宣传）") is part
    of a name."""
    names, current, depth = [], [], 0
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(depth - 1, 0)
        if char in "、，," and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return [name.strip() for name in names if name.strip()]


def deadline_of(text: str) -> Deadline | None:
    if "长期坚持" in text or "长期" in text:
        return Deadline("ongoing")
    if "立行立改" in text:
        return Deadline("immediate")
    found = dates_in(text)
    if found:
        return Deadline("date", found[0])
    iso = ISO.search(text)
    if iso and _iso(*map(int, iso.groups())):
        return Deadline("date", _iso(*map(int, iso.groups())))
    month = YEAR_MONTH.search(text)
    if month:
        # "2024年3月底前": the last day of that month.
        year, mon = int(month.group(1)), int(month.group(2))
        for day in (31, 30, 29, 28):
            value = _iso(year, mon, day)
            if value:
                return Deadline("date", value)
    return None


SIGNATURE = re.compile(
    r"^(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|.{2,40}(党组|党委|局|委员会|办公室))$"
)
LABEL = re.compile(
    r"(责任领导|牵头领导|责任人|牵头(?:科室|单位|部门)|责任(?:科室|单位|部门)|配合(?:科室|单位)"
    r"|(?:整改|完成)时限)\s*[:：]"
)


def problem_facts(heading: str, body: list[str], *, feedback: bool = False) -> dict:
    """Sections, deadline, description and measures from a problem's heading and body. In
    feedback, the text under a problem describes it: it is not a measure."""
    body = list(body)
    while body and SIGNATURE.match(body[-1]):  # the signer and date under the last problem
        body.pop()
    text = "\n".join([heading, *body])
    lead = [u for m in LEAD.finditer(text) for u in units(m.group(1))]
    responsible = [u for m in RESPONSIBLE.finditer(text) for u in units(m.group(1))]
    deadline_match = DEADLINE.search(text)
    measures, description = [], []
    for line in body:
        if LABEL.match(line):
            continue
        line = re.sub(r"^(整改(落实)?(情况|措施|进展)|具体整改措施)\s*[:：]\s*", "", line)
        if not line:
            continue
        if NUMBERED.match(line):
            measures.append(NUMBERED.sub("", line))
        elif RUN_IN_SPLIT.search(line):
            parts = [p.strip(" 。；;") for p in RUN_IN_SPLIT.split(line)]
            description.append(parts[0]) if parts[0] else None
            measures.extend(p for p in parts[1:] if p)
        else:
            description.append(line)
    if not measures and description and not feedback:
        measures, description = description, []
    if not measures and not feedback:
        # A plan states the task in its heading: "（一）强化组织领导。高度重视……".
        rest = heading[len(re.split(r"[。；;]", heading, maxsplit=1)[0]) :].lstrip("。；; ")
        label = LABEL.search(rest)
        rest = (rest[: label.start()] if label else rest).strip(" 。；;")
        if rest:
            measures = [rest]
    return {
        "lead_units": lead,
        "responsible_units": responsible,
        "deadline": deadline_of(deadline_match.group(1)) if deadline_match else None,
        "text": "\n".join(description),
        "measures": [ParsedMeasure(m) for m in measures],
    }
