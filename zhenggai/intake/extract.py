"""Facts a document states: its organisation, dates, declared totals, and per problem its
sections, deadline and measures."""

import re
from datetime import date

from zhenggai.intake.headings import cn_to_int, sentence_end
from zhenggai.intake.model import Deadline, ParsedMeasure
from zhenggai.intake.rules import add as add_rule
from zhenggai.intake.warning import ParseWarning

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


def find_dates(text: str, warnings: list[ParseWarning]) -> dict:
    dates: dict = {}
    for sentence in re.split(r"[。\n]", text):
        if "巡察" in sentence and "至" in sentence and "inspection_start" not in dates:
            period = dates_in(sentence)
            if len(period) >= 2:
                dates["inspection_start"], dates["inspection_end"] = period[0], period[1]
        if "反馈" in sentence and "feedback" not in dates:
            year = int(dates["inspection_end"][:4]) if "inspection_end" in dates else None
            # The date of the clause that speaks of feedback, else the sentence's first that is
            # not the inspection's period ("…至…巡察，于…反馈").
            clauses = [c for c in re.split(r"[，,；;]", sentence) if "反馈" in c]
            period = {dates.get("inspection_start"), dates.get("inspection_end")}
            found = [d for c in clauses for d in dates_in(c, year)] or [
                d for d in dates_in(sentence, year) if d not in period
            ]
            if found:
                dates["feedback"] = found[0]
        if LOST.search(sentence) and not dates_in(sentence):
            warnings.append(
                ParseWarning("date_lost_characters", text=LOST.search(sentence).group(0))
            )
    # The report is dated on a line of its own, under the signature.
    for line in reversed(text.splitlines()[-15:]):
        if DATE_LINE.match(line.strip()):
            dates["report"] = dates_in(line)[0]
            break
    return dates


# ---------------------------------------------------------------- organisation


# A feedback's title names the body inspected: "关于巡察县统计局党组的反馈意见", "关于对XX局
# 党组开展巡察的反馈意见", "县委第一巡察组关于巡察县卫健局党委的反馈意见".
_BODY = r"[^\s，,。:：“”《》]{2,40}?"
_KIND = r"(?:常规|专项|机动|提级|联动|交叉)?(?:巡察|巡视)"
FEEDBACK_TITLE = re.compile(
    rf"^[^\s，,。:：《》]{{0,40}}?关于(?:{_KIND}(?P<org>{_BODY})(?:的?{_KIND})?"
    rf"|对(?P<object>{_BODY})(?:开展|进行)了?{_KIND})"
    r"(?:工作)?(?:情况)?的?反馈意见$"
)


def inspected_in_title(lines: list[str]) -> str | None:
    """The body a feedback's title says was inspected, its title on one line or two."""
    for n, line in enumerate(lines[:6]):
        for title in (line, line + (lines[n + 1] if n + 1 < len(lines) else "")):
            match = FEEDBACK_TITLE.match(title)
            if match:
                return match.group("org") or match.group("object")
    return None


def find_org(lines: list[str]) -> str | None:
    """The issuing organisation: "X党组关于…" in the title (which may run over several lines),
    else "欢迎访问X!" of the publishing site, else "X局关于…". A feedback's is the body its
    title says was inspected (关于巡察X的反馈意见)."""
    inspected = inspected_in_title([line.strip() for line in lines[:40] if line.strip()])
    if inspected:
        return inspected
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


# "区委第一巡察组对…", "中共某市委员会第二巡视组向…", "市审计局于…": the body that inspected,
# named where it acts on the unit.
INSPECTOR = re.compile(
    r"((?:中共)?[\u4e00-\u9fff]{0,14}?(?:[省市区县州旗盟]委|工委|党委|党组|委员会)"
    r"[\u4e00-\u9fff]{0,16}?(?:巡察|巡视|督查)(?:组|办)"
    r"|[\u4e00-\u9fff]{1,12}?(?:审计(?:局|厅|署|办)|督查室|考评办))"
    r"(?:[(（][^)）]{1,20}[)）])?(?=于|对|向|进驻|在|召开|进行|反馈|开展)"
)


# Words of the sentence that run into the name: "关于落实区委第一巡察组…", "按照区委统一部署…".
LEADING_WORDS = re.compile(r"^.*(?:关于|落实|按照|根据|部署|贯彻|接受|配合)")


def find_inspector(lines: list[str]) -> str | None:
    """The inspecting body the document names first where it acts (对…巡察, 向…反馈), or None."""
    head = "\n".join(line.strip() for line in lines[:80] if line.strip())[:6000]
    match = INSPECTOR.search(head)
    if match is None:
        return None
    return LEADING_WORDS.sub("", match.group(1)) or None


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
N = r"(?<![\d零一二三四五六七八九十百两每第])(\d{1,5}|[零一二三四五六七八九十百两]{1,6})"
# 件 counts cases (投诉举报件), never problems.
COUNT = r"\s*(?:个|条|项)"
# The words that may stand between a count and 问题: "18个突出问题", "27条具体问题".
QUALIFIERS = r"(?:具体|反馈|突出|主要|重点|共性|个性|存在|发现|审计|巡察|巡视|的)*"
# A count of problems that are not the total: those rectified, moved on, still open.
NOT_TOTAL = r"(?<!整改)(?<!完成)(?<!移送)(?<!移交)(?<!销号)(?<!办结)(?<!正在)(?<!未)"

# Each total by its patterns; the earliest match in the text counts.
DECLARED = {
    "areas": [
        # "4个方面、11个大项、31条问题", "提出了4个方面整改意见", "六个方面存在的56个具体问题"
        rf"{N}\s*个?方面[^。，,；;]{{0,24}}?(?:问题|意见|不足|短板)",
        rf"(?:有|存在|以下|如下)\s*{N}\s*个方面\s*[:：]",  # "主要有以下六个方面："
    ],
    "problems": [
        # A count that goes on 已完成整改 is of those rectified, unless 共/反馈 makes it a total.
        rf"{N}{COUNT}{QUALIFIERS}问题(?!\s*(?:已|均已|正在|尚未|未|仍))",
        rf"(?:共|反馈|指出|发现)[^。，,；;]{{0,12}}?{N}{COUNT}{QUALIFIERS}问题",
        # "巡察发现…问题199条": the count after 问题, where the clause says who found them.
        rf"(?:反馈|巡察|巡视|审计|指出|查出|涉及|交办)[^。，,；;]{{0,12}}?{NOT_TOTAL}问题\s*(?:有|共计|共|合计|总计)?\s*{N}{COUNT}(?!方面)",
    ],
    "long_term": [
        rf"(?:长期坚持|持续整改|持续推进|阶段性(?:成果|成效))(?:整改)?的?(?:问题)?\s*{N}{COUNT}",
        rf"{N}{COUNT}(?:问题)?(?:需要?|仍需|将|已)?(?:长期坚持|纳入常态化|持续整改|取得阶段性(?:成果|成效))",
    ],
    "completed": [
        rf"(?:完成整改|已整改|整改完成|整改到位|已销号|已办结)(?:到位|完成)?(?:并通过验收|并销号)?的?"
        rf"(?:问题)?\s*{N}{COUNT}",
        rf"{N}{COUNT}(?:问题)?已(?:全部)?(?:完成整改|整改完成|整改到位|销号)",
        # "截至10月10日整改问题28个，未整改问题29个", not 限期整改问题12个
        rf"(?:已|累计|截至[^。；;，,]{{0,12}}?)整改问题\s*{N}{COUNT}",
    ],
}


def find_declared(text: str, rules: list[str] | None = None) -> dict:
    """The totals the document declares: areas, problems, long-term and completed problems,
    each from the earliest place one of its patterns in DECLARED finds it. Progress given per
    part (per round, per area) whose problems add up to the total is summed, unless its first
    count is already the sum of the others (rule declared_progress_summed)."""
    found = {key: _counts(text, patterns) for key, patterns in DECLARED.items()}
    declared = {key: counts[0] for key, counts in found.items() if counts}
    parts = found["problems"][1:]
    if len(parts) >= 2 and sum(parts) == declared["problems"]:
        for key in ("completed", "long_term"):
            counts = found[key]
            if len(counts) >= 2 and _per_part(counts, parts):
                declared[key] = sum(counts)
                add_rule([] if rules is None else rules, "declared_progress_summed")
    return declared


def _per_part(counts: list[int], parts: list[int]) -> bool:
    """Whether progress counts are one a part: no more of them than parts, the first within the
    first part, all within the total, and the first not the sum of the others. "已完成整改12个，
    其中立行立改完成整改8个" states a total and a share of it, not two parts."""
    return (
        len(counts) <= len(parts)
        and counts[0] <= parts[0]
        and sum(counts) <= sum(parts)
        and counts[0] != sum(counts[1:])
    )


def _counts(text: str, patterns: list[str]) -> list[int]:
    """The counts the patterns find, in the order they stand, each place once."""
    places = {}
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            group = next(n for n in range(1, len(match.groups()) + 1) if match.group(n))
            places.setdefault(match.start(group), cn_to_int(match.group(group)))
    return [value for _, value in sorted(places.items()) if value is not None]


# An area's own count of its problems, in its heading or first line: "（共5个问题）".
AREA_COUNT = re.compile(rf"{N}{COUNT}{QUALIFIERS}问题|{NOT_TOTAL}问题\s*{N}{COUNT}")


def area_count(heading: str, body: list[str]) -> int | None:
    """The number of problems an area's heading (or, failing it, its first line) states."""
    for text in [heading, *body[:1]]:
        match = AREA_COUNT.search(text)
        if match:
            return cn_to_int(next(g for g in match.groups() if g))
    return None


def sum_per_area(
    declared: dict, counts: list[int | None], rules: list[str], warnings: list[ParseWarning]
) -> None:
    """Where each area states its count and the document no total of its own (the first area's
    count is all the text search found), the declared total is their sum; a total of its own
    that disagrees with the sum is warned of, not replaced."""
    if len(counts) < 2 or None in counts:
        return
    summed, stated = sum(counts), declared.get("problems")
    if stated is None or (stated == counts[0] and stated != summed):
        declared["problems"] = summed
        add_rule(rules, "declared_per_area_summed")
    elif stated != summed:
        warnings.append(ParseWarning("declared_per_area_differs", declared=stated, summed=summed))


# ---------------------------------------------------------------- per problem

# The labels a document puts before its sections, leaders and deadlines.
LEAD_WORDS = r"牵头(?:科室|单位|部门)"
RESPONSIBLE_WORDS = r"(?:责任(?:科室|单位|部门)|配合(?:科室|单位|部门))"
LABEL_WORDS = (
    rf"(?:责任领导|牵头领导|责任人|{LEAD_WORDS}|{RESPONSIBLE_WORDS}|(?:整改|完成)时限|整改目标)"
)
# A label may stand without its colon ("责任单位区政府有关部门"), but only where a label starts
# (a line, a bracket, after a separator) and not where prose uses the word ("由牵头单位负责").
_GLUED = r"(?:^|(?<=[\s（(【\[；;。，,]))"
_NOT_PROSE = r"(?!\s*(?:要|应|须|必须|负责|对|将|和|与|及|的|在|是|为|会同|主动|积极|认真|切实|按|根据|加强|落实|等))"
# A value runs to the next separator, to whitespace before the next "标签：", or to the next
# label with its colon or after a space ("各责任单位" is a name).
_VALUE = (
    rf"((?:(?!\s+[\u4e00-\u9fff]{{2,6}}[:：])(?!\s+{LABEL_WORDS}|{LABEL_WORDS}\s*[:：])"
    r"[^;；。\n）)])+)"
)


def _label(words: str) -> tuple[re.Pattern, re.Pattern]:
    """The label `words` with its colon (anywhere), and without it (where a label starts)."""
    return (
        re.compile(rf"{words}\s*[:：]\s*" + _VALUE),
        re.compile(rf"{_GLUED}{words}(?![:：\s]*[:：]){_NOT_PROSE}\s*" + _VALUE),
    )


LEAD = _label(LEAD_WORDS)
RESPONSIBLE = _label(RESPONSIBLE_WORDS)


def labelled_units(text: str, label: tuple[re.Pattern, re.Pattern], rules: list[str]) -> list[str]:
    """The sections named after a label in `text`; written without its colon, the label is
    still one (rule label_without_colon)."""
    with_colon, glued = label
    found = [u for m in with_colon.finditer(text) for u in units(m.group(1))]
    for match in glued.finditer(text):
        names = [name for name in units(match.group(1)) if len(name) <= 30]
        if names:
            add_rule(rules, "label_without_colon")
            found += names
    return found


# Without its colon, a deadline's label is one only where a label starts and a date or
# 立行立改/长期坚持 follows ("整改时限2024年6月底前", not "明确整改措施和整改时限").
DEADLINE = re.compile(
    rf"(?:(?:整改|完成)时限\s*[:：]|{_GLUED}(?:整改|完成)时限(?=\s*(?:\d|立行|长期)))\s*([^；;\n]+)"
)
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


# A signature line: a date, or the name of the organ that signs, the inspecting body too at the
# foot of its feedback ("县委第一巡察组", "省委第三巡视组"), alone on its line.
SIGNATURE = re.compile(
    r"^(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|.{2,40}(党组|党委|局|委员会|办公室)"
    r"|[^，。；：,;:]{2,30}(巡察组|巡视组))$"
)
LABEL = re.compile(rf"{LABEL_WORDS}\s*[:：]|{_GLUED}{LABEL_WORDS}{_NOT_PROSE}(?=\s*[^\s:：])")


# A line that says what follows is the rectification ("整改情况：…").
_MEASURES_FOLLOW = r"(?:整改(?:落实)?(?:情况|措施|举措|进展|成效)|具体整改措施|完成情况)\s*[:：]\s*"
MEASURES_FOLLOW = re.compile("^" + _MEASURES_FOLLOW)
MEASURES_FOLLOW_WITHIN = re.compile(_MEASURES_FOLLOW)
# A line that is the problem's own words ("存在问题：…").
PROBLEM_LABEL = re.compile(
    r"^(?:存在(?:的)?问题|问题(?:表现|描述|情况)?|反馈(?:的)?问题|具体问题|主要表现|具体表现)"
    r"\s*[:：]\s*"
)
# A heading that names a problem ("关于“…”问题的整改情况", "…问题。…"): what follows its
# first sentence describes the problem.
NAMES_A_PROBLEM = re.compile(r"^关于.*问题|问题[”\"]?(?:的整改情况)?$")


# The document's own closing words under its last problem: "下一步，…", "整改工作取得了一定成效",
# and a feedback's closing request for the rectification: "请县统计局党组在收到反馈意见后2个月内
# 报送整改情况。", "巡察组要求，…要在反馈后2个月内报送整改情况报告。", "要求…认真整改".
CLOSING_REMARK = re.compile(
    r"^(?:下一步|今后)|^.{0,20}(?:整改工作|巡察整改)(?:虽然)?(?:已经?)?取得了?(?:一定|阶段性|明显)?的?成效"
    r"|^(?:请|要求).{0,40}(?:在|于).{0,30}(?:内|前).{0,10}(?:报送|上报|报告)"
    r"|^.{0,12}(?:巡察|巡视)(?:组|办)?(?:要求|提出)|^要求.{0,40}认真(?:抓好|做好|研究)?整改"
)


def problem_facts(
    heading: str,
    body: list[str],
    *,
    feedback: bool = False,
    last: bool = False,
    rules: list[str] | None = None,
) -> dict:
    """Sections, deadline, description and measures from a problem's heading and body.

    The problem's own words are its description and never a measure: in feedback, all the text
    under a problem; elsewhere, what stands before a "整改情况：" lead-in or under a "存在问题："
    label, and what follows the first sentence of its heading. What follows the lead-in is the
    rectification: its measures. A signature is left out, and so is the document's closing
    remark under its `last` problem. The codes of the rules used are added to `rules`."""
    rules = [] if rules is None else rules
    body = list(body)
    while body and (_signed(body[-1]) or (last and CLOSING_REMARK.match(body[-1]))):
        body.pop()
    text = "\n".join([heading, *body])
    deadline_match = DEADLINE.search(text)
    described, measures = _body_parts(body, feedback)
    rest = _heading_rest(heading)
    lead_in = None if feedback else MEASURES_FOLLOW_WITHIN.search(rest)
    if lead_in:  # "（一）学习不深入。……。整改情况：……"
        described.insert(0, rest[: lead_in.start()].strip(" 。；;"))
        measures.insert(0, rest[lead_in.end() :].strip(" 。；;"))
    elif rest and (measures or feedback or described or NAMES_A_PROBLEM.search(_first(heading))):
        described.insert(0, rest)
    elif rest:
        # A plan states the task in its heading: "（一）强化组织领导。高度重视……".
        measures = [rest]
    return {
        "lead_units": labelled_units(text, LEAD, rules),
        "responsible_units": labelled_units(text, RESPONSIBLE, rules),
        "deadline": deadline_of(deadline_match.group(1)) if deadline_match else None,
        "text": "\n".join(line for line in described if line),
        "measures": [ParsedMeasure(m) for m in measures if m],
    }


def _signed(line: str) -> bool:
    """A signature line, which a label naming a 局 is not ("责任单位 区审计局")."""
    return bool(SIGNATURE.match(line)) and not LABEL.match(line)


def _body_parts(body: list[str], feedback: bool) -> tuple[list[str], list[str]]:
    """(description, measures) of a problem's body lines. In feedback every line describes the
    problem: its numbered or run-in items are instances of it, not measures."""
    if feedback:
        return [PROBLEM_LABEL.sub("", line) for line in body if not LABEL.match(line)], []
    follows = next((n for n, line in enumerate(body) if MEASURES_FOLLOW.match(line)), None)
    measures, loose, described = [], [], []
    for n, line in enumerate(body):
        if LABEL.match(line):
            continue
        if PROBLEM_LABEL.match(line) or (follows is not None and n < follows):
            described.append(PROBLEM_LABEL.sub("", line))
            continue
        line = MEASURES_FOLLOW.sub("", line)
        if NUMBERED.match(line):
            measures.append(NUMBERED.sub("", line))
        elif RUN_IN_SPLIT.search(line):
            parts = [p.strip(" 。；;") for p in RUN_IN_SPLIT.split(line)]
            # The words before 一是…二是…: after "整改情况：", a measure's lead-in.
            (measures if follows is not None else loose).append(parts[0])
            measures.extend(parts[1:])
        elif follows is not None:
            measures.append(line)  # after "整改情况：" every paragraph is rectification
        else:
            loose.append(line)
    measures = [m for m in measures if m]
    if not feedback and not measures:
        # A report's paragraphs under a problem, with no lead-in: what was done.
        return described, [line for line in loose if line]
    return [*described, *loose], measures


FULL_STOP = re.compile(r"[。；;]")


def _first(heading: str) -> str:
    """A heading's first sentence: to the first full stop outside quotation marks."""
    return heading[: sentence_end(heading, FULL_STOP)]


def _heading_rest(heading: str) -> str:
    """What a heading says after its first sentence, less labels (牵头单位：…)."""
    rest = heading[len(_first(heading)) :].lstrip("。；; ")
    label = LABEL.search(rest)
    return (rest[: label.start()] if label else rest).strip(" 。；;")
