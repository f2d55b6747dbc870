"""From lines of text to the outline of a rectification document, and its problems.

Headings are numbered lines (一、 （一） 1. （1） 1) ① and the unnumbered 在“…”方面 and
关于“…”问题的整改情况); their nesting follows the order in which numbering styles first appear,
as in a Word outline, so a numbering slip (two headings numbered 三) changes nothing. A numbered
line that follows a "整改情况：" lead-in, in a style not yet open in the outline, is body text (a
measure), as are run-in items (一是…二是…) and a list numbered again after a paragraph on the
rectification. Problems are the headings with no headings below them, under the top-level
sections that speak of problems; the sections about the work itself (organising it, methods,
next steps) are left out. Where problems have no headings of their own — labelled lines
(问题描述：…), the paragraphs of a section of found problems, the office's feedback told in a
paragraph — they are read from the text. The codes of the rules used go into `rules`
(rules.RULES), so the preview can say how the outline was found.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# RULES is named here too: the rules that shape an outline (ParsedDocument.rules).
from zhenggai.intake.model import IntakeError
from zhenggai.intake.rules import RULES as RULES
from zhenggai.intake.rules import add as add_rule
from zhenggai.intake.warning import ParseWarning

CN = "一二三四五六七八九十百零〇"
# Bounds on one upload: lines (after headings run together are split) and problems.
MAX_LINES = 200_000
MAX_PROBLEMS = 20_000
SPACES = "\u3000\xa0\u2002\u2003\u2009\ufeff"
_WIDE_SPACE = re.compile(f"[{SPACES}]")

D = "0-9０-９"
STYLES = [
    ("cn、", re.compile(rf"^([{CN}]+)\s*[、，,]\s*")),
    ("(cn)", re.compile(rf"^[（(]\s*([{CN}]+)\s*[）)]\s*[、.．]?\s*")),
    ("(1)", re.compile(rf"^[（(]\s*([{D}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    ("1)", re.compile(rf"^([{D}]{{1,3}})\s*[)）]\s*")),
    ("1.", re.compile(rf"^([{D}]{{1,3}})\s*[.．、](?![{D}])\s*")),
    ("①", re.compile(r"^([①-⑳])\s*")),
]
ZAI = re.compile(r"^在\s*[“\"](.+)[”\"]\s*方面\s*$")
RUN_IN = re.compile(rf"^[{CN}]+是")
LEAD_IN = re.compile(r"^(整改(落实|完成)?(情况|措施|进展|成效)|具体整改措施|完成情况)\s*[:：]")
PROBLEMISH = re.compile(r"问题|方面|整改任务|整改事项|反馈意见")
# 关于…问题 / 在“…”方面: the words that frame a heading's subject, and what may follow them.
ABOUT = re.compile(r"^(关于|在(?=\s*[“\"]))\s*")
FRAME_END = re.compile(
    r"(?:的)?(?:问题|方面)[”\"]?(?:的)?(?:整改(?:落实|工作)?(?:情况|措施|进展|成效)?)?\s*$"
)
SENTENCE_END = re.compile(r"[。；;]|如[:：]|例如[:：]|[,，]\s*(?=截至|截止|其中|如[:：,，])")
# Where the problems end: the call for public supervision, contacts, attachments, page furniture.
ENDING = re.compile(r"^(欢迎广大|欢迎社会各界|如有意见|附件[:：]|责编|【打印】)")
# Contacts end the problems only near the end of a document (a measure may give a phone number).
CONTACTS = re.compile(r"^(监督电话|联系方式|联系电话|电子信箱|电子邮箱)")
CLOSING = re.compile(
    r"工作要求|保障措施|下一?步|指导思想|工作目标|(?:基本|整改|工作)原则|组织推进|组织实施"
)


def normalise(line: str) -> str:
    """Spaces of every width made plain and trimmed; CRLF and full-width forms of numbering are
    left for the patterns, which accept both."""
    return _WIDE_SPACE.sub(" ", line).strip()


def numbering(line: str) -> tuple[str, str, str] | None:
    """(style, number, rest) of a numbered heading line, or None. Two unnumbered forms are
    headings too: 在“…”方面 (style "zai") and a paragraph that is only 关于“…”问题的整改情况
    (style "about"), as Word documents write problems whose numbers were lost."""
    if ZAI.match(line):
        return "zai", "", line
    if RUN_IN.match(line):
        return None
    for style, pattern in STYLES:
        found = pattern.match(line)
        if found:
            number = unicodedata.normalize("NFKC", found.group(1))
            return style, number, line[found.end() :].strip()
    if is_about_heading(line):
        return "about", "", line
    return None


# A whole paragraph 关于“X”问题(的整改情况): quoted, or ending in 问题的整改(落实)情况.
ABOUT_LINE = re.compile(
    r"^关于\s*(?:[“\"].{2,}问题[”\"]?(?:的?整改(?:落实|进展)?(?:情况|措施)?)?"
    r"|.{2,}问题[”\"]?的?整改(?:落实|进展)?(?:情况|措施))\s*[。.：:]?$"
)


def is_about_heading(line: str) -> bool:
    """Whether an unnumbered line is a problem's heading "关于“…”问题的整改情况": short, one
    sentence, with the frame and nothing after it."""
    return len(line) <= 120 and bool(ABOUT_LINE.match(line)) and "。" not in line[:-1]


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


# "在X方面(。…)" without quotation marks, and "X方面：…" that names its area before the colon.
IN_AREA = re.compile(r"^在\s*([^“\"。；;：:]{2,60}?)\s*方面(?:[。：:]|$)")
AREA_LABEL = re.compile(r"^([^。；;：:，,]{2,20}方面)\s*[:：]")


HEADING_GAP = re.compile(r"^(.{2,30}?[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff].{10})")
INLINE_POINTS = re.compile(r"[（(]\s*1\s*[）)][^。]{0,300}?[；;]\s*[（(]\s*2\s*[）)]")
FULL_STOP = re.compile(r"。")


def clean_title(text: str) -> str:
    """A heading's title: the subject of 关于…问题 / 在…方面, an area named before its colon
    (基础设施方面：…), else its first sentence."""
    text = text.strip()
    framed = IN_AREA.match(text) or AREA_LABEL.match(text)
    if framed:
        return framed.group(1).strip()
    about = ABOUT.match(text)
    if about:
        subject = _framed_subject(text[about.end() :])
        if subject:
            return subject
    # A heading that enumerates its points inline ("X：(1)…；(2)…。") is one sentence.
    ends = FULL_STOP if INLINE_POINTS.search(text) else SENTENCE_END
    end = ends.search(text)
    title = text[: end.start()] if end else text
    gap = HEADING_GAP.match(title)
    # "查找问题根源，明确整改方向 结合…": a page ran the paragraph into its heading, whose
    # title is a slogan; a problem's title may hold a space (学习贯彻 习近平…不够深入).
    if gap and _slogan(gap.group(1)):
        title = gap.group(1)
    return title.strip().rstrip("，,：:、 ")


def _framed_subject(text: str) -> str | None:
    """The subject after 关于 (or 在“) within the first sentence, or None: X of "X问题(的整改
    情况)" or "X方面" (关于“学习不深入”问题 → 学习不深入; 关于“三重一大”制度执行不严格问题的
    整改情况 → “三重一大”制度执行不严格); a quoted subject without such a frame is kept less its
    关于; a quotation mark left open (关于“落实……不严不实问题) is dropped, never left dangling."""
    sentence = text[: sentence_end(text, SENTENCE_END)].strip().rstrip("，,：:、 ")
    frame = FRAME_END.search(sentence)
    if frame is not None and frame.start() > 0:
        subject = sentence[: frame.start()].strip()
    elif sentence[:1] in '“"':
        subject = sentence
    else:
        return None
    if not _balanced(subject):
        if subject.count("“") > subject.count("”"):
            subject = subject.replace("“", "", 1)
        subject = subject.strip('“”"').strip()
    elif _quoted_whole(subject):
        subject = subject[1:-1].strip()
    return subject or None


def sentence_end(text: str, ends: re.Pattern) -> int:
    """Where the first sentence of `text` ends: at the first of `ends` outside quotation marks
    (关于“学习不深入。作风不实”问题 is one sentence), else at the end."""
    opened = closed = plain = last = 0
    for match in ends.finditer(text):
        chunk = text[last : match.start()]
        opened, closed = opened + chunk.count("“"), closed + chunk.count("”")
        plain, last = plain + chunk.count('"'), match.start()
        if opened == closed and plain % 2 == 0:
            return match.start()
    first = ends.search(text)
    if first is not None and text.count("“") > text.count("”"):
        return first.start()  # a quotation never closed cannot hold the sentence open
    return len(text)


def _balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _quoted_whole(text: str) -> bool:
    """“X” where X holds only whole quotations of its own (“打造“履约践诺”的…”, as sources
    nest them), not “A”“B”: the whole subject is one quotation."""
    if len(text) < 2 or text[0] not in '“"' or text[-1] not in '”"':
        return False
    inner = text[1:-1]
    if '"' in inner:
        return False
    depth = 0
    for char in inner:
        depth += (char == "“") - (char == "”")
        if depth < 0:
            return False
    return depth == 0


@dataclass
class Node:
    style: str
    number: str
    heading: str
    children: list["Node"] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    # (heading, title): the rules read a title many times; a heading whose number stood alone
    # is set after its node opened, so the title is kept with the heading it was made from.
    _title: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def title(self) -> str:
        if self._title is None or self._title[0] is not self.heading:
            self._title = (self.heading, clean_title(self.heading))
        return self._title[1]

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def build(lines: list[str]) -> Node:
    """The outline tree of the document; text before the first heading and after the closing
    (the call for public supervision, contacts) sits in the root's body."""
    builder = _Builder()
    tail = int(len(lines) * 0.85)
    taken = 0
    for index, raw in enumerate(lines):
        parts = run_together(normalise(raw))
        taken += len(parts)
        if taken > MAX_LINES:  # one line may hide a million headings run together
            raise IntakeError(f"too many lines, more than {MAX_LINES}")
        for line in parts:
            builder.take(line, near_end=index >= tail)
    return builder.root


# A heading numbered 一、 or （一） that a page ran into the paragraph before it, after a
# full stop or colon: "…汇报如下：(一)兰花花金街环境卫生脏乱差。整改措施：…(二)望通路…".
RUN_TOGETHER = re.compile(rf"(?<=[。：:；;])\s*(?=[（(][{CN}]{{1,3}}[）)]|[{CN}]{{1,3}}、)")


def run_together(line: str) -> list[str]:
    """A line split where headings were run into it; [] for an empty line."""
    return [part.strip() for part in RUN_TOGETHER.split(line) if part.strip()]


# A paragraph after which a list numbered again is what was done: "…现将整改情况报告如下：".
RECTIFICATION_FOLLOWS = re.compile(r"整改|措施")


class _Builder:
    """Headings open nodes; other lines are the body of the node open last."""

    def __init__(self) -> None:
        self.root = Node("root", "", "")
        self.stack: list[Node] = [self.root]
        self.in_body = False  # after a lead-in, numbered lines in a new style are measures
        self.ended = False
        self.awaiting: Node | None = None  # a heading whose number stood alone on its line
        # Numbers seen in the body under a 关于…问题 heading, by style: measures numbered
        # 1. 2. 3. under a problem whose categories are numbered 1. 2. 3. too.
        self.measures: dict[str, int] = {}

    def take(self, line: str, near_end: bool) -> None:
        ended = ENDING.match(line) or (near_end and CONTACTS.match(line))
        self.ended = self.ended or bool(ended)
        found = None if self.ended else numbering(line)
        if self.awaiting is not None and not found:
            self.awaiting.heading, self.awaiting = line, None
            return
        if found and self._opens(found[0], found[1]):
            self._open(*found)
            return
        (self.root if self.ended else self.stack[-1]).body.append(line)
        if LEAD_IN.match(line):
            self.in_body = True

    def _opens(self, style: str, number: str) -> bool:
        """Whether a numbered line is a heading. Outside a body, yes; inside one, only in a
        style already open. A list that starts again at 1 under the same heading after a
        paragraph on the rectification (the measures after the problems), and a list under a 关于…问题 heading that
        does not go on from the open heading's number (categories numbered on across areas),
        are measures, and so are the numbers that go on from them."""
        open_styles = [node.style for node in self.stack[1:]]
        if style == "about":
            return True
        if style not in open_styles:
            return not self.in_body
        value = cn_to_int(number)
        heading = self.stack[open_styles.index(style) + 1]
        if value is not None and value == self.measures.get(style, -1) + 1:
            self.measures[style] = value
            return False
        after = (cn_to_int(heading.number) or 0) + 1
        restarts = (
            value == 1
            and after > 2
            and heading is self.stack[-1]
            and bool(heading.body)
            and bool(RECTIFICATION_FOLLOWS.search(heading.body[-1]))
        )
        if restarts or (self.stack[-1].style == "about" and value != after):
            self.measures[style] = value or 0
            return False
        return True

    def _open(self, style: str, number: str, rest: str) -> None:
        open_styles = [node.style for node in self.stack[1:]]
        if style in open_styles:
            del self.stack[open_styles.index(style) + 1 :]
        node = Node(style, number, rest)
        self.stack[-1].children.append(node)
        self.stack.append(node)
        # What follows a problem's own 关于…问题 heading is what was done about it.
        self.in_body = style == "about"
        self.measures = {}
        self.awaiting = node if not rest else None


def problem_nodes(
    root: Node, *, feedback: bool = False, rules: list[str] | None = None
) -> tuple[list[tuple[Node, list[str]]], list[ParseWarning]]:
    """[(problem node, path)] and warnings; the codes of the rules that shaped them are added
    to `rules`. The top-level sections kept are those that list problems (by their title or
    their sections' titles), less those about the work itself; a single kept section that
    only wraps the areas under a slogan is left out of the paths. In the office's own feedback,
    top-level headings may be the problems themselves, an area's paragraph may list them run
    in, and an account without headings may list them in a paragraph."""
    rules = [] if rules is None else rules
    if feedback and _problems_at_top(root.children):
        add_rule(rules, "feedback_top_level")
        return [(_folded(node), []) for node in root.children if _is_problem_at_top(node)], []
    kept, warnings = _problem_sections(root.children, rules)
    wrapper = len(kept) == 1 and _slogan_wrapper(kept[0])
    found: list[tuple[Node, list[str]]] = []
    for top in kept:
        for node in top.children if wrapper else [top]:
            _collect(node, [], found)
    found = _unfolded(found or [(root, [])], rules)
    found, warnings = _without_empty_areas(found, warnings, audit=_opens_on_audit(root))
    if feedback:
        found = _split_run_in(found, rules) or _paragraph_problems(root, rules)
    if any(node.style == "about" for node, _ in found):
        add_rule(rules, "unnumbered_problem_headings")
    return found, warnings


# Titles of sections about the work itself rather than its problems.
WORK = re.compile(
    r"组织(?:整改|落实|领导|情况|实施|推进|保障)|主要做法|工作举措|主要举措|工作措施|开展情况"
    r"|推进情况|部署情况|基本情况|总体情况|工作成效|主要成效|取得的?成效|整改成效|下一?步|打算"
    r"|高度重视|政治(?:自觉|站位|责任|担当)|加强领导|压实(?:整改)?责任|主体责任|工作(?:机制|部署)"
    r"|总体部署"
)
# What makes a title one that lists problems, even among words about the work.
LISTS = re.compile(
    r"方面|存在的?问题|问题(?:的)?整改(?:落实|进展)?情况|反馈意见|具体问题|问题清单|发现的?(?:主要)?问题"
)
# Titles of a section that lists problems without saying 问题: 整改落实情况 and the like.
LISTING = re.compile(r"整改(?:落实|进展)?情况$|落实情况$|整改任务|整改事项|逐条|逐项")


def _names_an_area(node: Node) -> bool:
    """在“X”方面 / 在X方面, whose title (X) has lost the word 方面."""
    return bool(ZAI.match(node.heading) or IN_AREA.match(node.heading))


def _is_closing(node: Node) -> bool:
    """A closing section (next steps, requirements), unless its title lists problems: an area
    may be named after 省市区委工作要求 too."""
    return bool(CLOSING.search(node.title)) and not LISTS.search(node.heading)


def _is_work(node: Node) -> bool:
    """About the work itself, by its words (主体责任, 政治站位) or a slogan, unless the title
    lists problems or says something is wrong (履行主体责任不到位: an area of problems)."""
    if LISTS.search(node.title) or states_fault(node.title):
        return False
    return bool(WORK.search(node.title)) or (not node.children and _slogan(node.title))


def _slogan(title: str) -> bool:
    """A title of short clauses that say what was done, not what is wrong ("查找问题根源，明确
    整改方向", "聚焦突出问题，精准施策"): a section about the work."""
    clauses = [c for c in re.split(r"[，,、\s]+", title) if c]
    short = len(clauses) >= 2 and all(len(c) <= 8 for c in clauses)
    return short and not states_fault(title)


# Words with a fault word in them that say what is done, not what is wrong.
RESOLVE = re.compile(
    r"问题|不断|不懈|毫不|决不|绝不|不折不扣|不忘|不移|不松劲|不放松|不走样|不打折扣"
)


def states_fault(title: str) -> bool:
    """Whether a title says something is wrong (不到位, 未开展, 弱化), the words of resolve
    (不断加强, 坚定不移) and the word 问题 aside."""
    return bool(FAULT.search(RESOLVE.sub("", title)))


def _speaks_of_problems(node: Node) -> bool:
    return bool(
        PROBLEMISH.search(node.title)
        or _names_an_area(node)
        or ((node.children or _labelled(node)) and LISTING.search(node.title))
        or any(PROBLEMISH.search(child.title) for child in node.children)
        or bool(node.children and states_fault(node.title))  # 一、履行主体责任不到位
    )


def _problem_sections(top: list[Node], rules: list[str]) -> tuple[list[Node], list[ParseWarning]]:
    """The top-level sections that hold problems, and a warning when none says so. Where the
    sections are all about the work itself (a text that stops before its problems), none."""
    candidates = [node for node in top if not _is_closing(node)]
    listing = [node for node in candidates if not _is_work(node)]
    if len(listing) < len(candidates):
        add_rule(rules, "work_sections_left_out")
    kept = [node for node in listing if _speaks_of_problems(node)]
    if kept:
        return kept, []
    if listing:
        return listing, [ParseWarning("no_problem_section")]
    return [], [ParseWarning("only_work_sections")] if top else []


def _slogan_wrapper(node: Node) -> bool:
    """Whether a single section that wraps the areas is titled by a slogan about the work
    ("突出重点，注重实效，确保整改落到实处"), which no path repeats, rather than by what it
    holds ("整改内容", "反馈问题及整改措施"), which paths keep."""
    wraps = any(child.children for child in node.children)
    slogan = _is_work(node) or bool(re.search(r"[，,]", node.title))
    return wraps and slogan and not LISTS.search(node.heading)


def _collect(node: Node, path: list[str], found: list) -> None:
    if not node.children:
        found.append((node, path))
        return
    for child in node.children:
        _collect(child, [*path, node.title], found)


def areas_of(root: Node, found: list[tuple[Node, list[str]]]) -> list[Node]:
    """The areas the problems sit in (the nodes their paths start from), in order."""
    titles = list(dict.fromkeys(path[0] for _, path in found if path))
    nodes = {}
    for node in _walk(root):
        if node.children and node.title in titles:
            nodes.setdefault(node.title, node)
    return [nodes[title] for title in titles if title in nodes]


def _walk(node: Node):
    for child in node.children:
        yield child
        yield from _walk(child)


# A section that says how many problems it holds: "预算执行问题6项", "（共5个问题）".
HOLDS = re.compile(
    rf"问题\s*([{D}]{{1,4}}|[{CN}]{{1,4}})\s*(?:个|项|条)|([{D}]{{1,4}}|[{CN}]{{1,4}})\s*(?:个|项|条)(?:具体)?问题"
)


# What an audit report names its items by: "（一）区本级财政管理及决算草案审计"; only in a
# text that opens on an audit, and never a title that states a fault (未开展内部审计).
AUDIT_ITEM = re.compile(r"审计(?:调查)?(?:情况)?$")
AUDIT = re.compile(r"审计")


def _audit_item(node: Node, audit: bool) -> bool:
    return audit and bool(AUDIT_ITEM.search(node.title)) and not states_fault(node.title)


def _opens_on_audit(root: Node) -> bool:
    """Whether the text before the first heading (its title, its opening) speaks of an audit."""
    return any(AUDIT.search(line) for line in root.body[:12])


def _without_empty_areas(
    found: list, warnings: list[ParseWarning], *, audit: bool
) -> tuple[list, list]:
    """A top-level section with no sections below that says it holds two or more problems is
    an area whose problems are not listed (a text that stops early), and a section that names
    what was audited (区本级财政管理审计) an audit item whose problems are not listed: never a
    problem itself; the preview is told."""
    kept, warnings = [], list(warnings)
    for node, path in found:
        count = _holds(node) if not path and node.style in dict(STYLES) else None
        if count is not None and count >= 2:
            warnings.append(ParseWarning("area_without_problems", title=node.title, count=count))
        elif _audit_item(node, audit):
            warnings.append(ParseWarning("audit_item_without_problems", title=node.title))
        else:
            kept.append((node, path))
    return kept, warnings


def _holds(node: Node) -> int | None:
    for text in [node.heading, *node.body[:1]]:
        found = HOLDS.search(text)
        if found:
            return cn_to_int(next(group for group in found.groups() if group))
    return None


# ---------------------------------------------------------------- problems without headings

# A line that gives a problem under its label: "问题描述：…", "存在问题：…", "整改任务：…".
PROBLEM_LINE = re.compile(
    r"^(?:存在(?:的)?问题|问题(?:描述|表现)?|反馈(?:的)?问题|具体问题|整改问题|整改任务)\s*[:：]\s*"
)
# A section that only groups problems, or only says how they were rectified, by its title:
# "二、整改情况", "三、审计调查发现的主要问题".
GROUP_SECTION = re.compile(r"^.{0,8}?(?:发现|存在)的?(?:主要|突出)?问题$|^(?:主要|存在)问题$")
RECTIFIED_SECTION = re.compile(r"^.{0,8}?整改(?:落实|完成)?情况$")
# Page furniture a PDF leaves among the paragraphs: "— 1 —", "第2页".
FURNITURE = re.compile(r"^[—\-－\s]*\d+[—\-－\s]*$|^第\s*\d+\s*页")


def _labelled(node: Node) -> list[int]:
    """Where the lines of a node's body that give a problem under its label are."""
    return [n for n, line in enumerate(node.body) if PROBLEM_LINE.match(line)]


def _unfolded(found: list, rules: list[str]) -> list:
    """Problems a section (or a text without headings) gives without headings of their own:
    each labelled line (问题描述：…) starts one; each paragraph of a section that only groups
    problems (审计发现的主要问题) is one. A section that only says how they were rectified
    (审计发现问题的整改情况) is then no problem itself."""
    result, grouped = [], False
    for node, path in found:
        if node.children and node.style != "root":
            result.append((node, path))
            continue
        inner = [*path, node.title] if node.style != "root" else []
        items = _labelled_items_of(node) or (
            _paragraphs_of(node) if GROUP_SECTION.search(node.title) else []
        )
        grouped = grouped or bool(items)
        if items:
            add_rule(rules, "problems_without_headings")
        result += [(item, inner) for item in items] if items else [(node, path)]
    if grouped:
        result = [(n, p) for n, p in result if not _only_rectified(n)]
    return [(n, p) for n, p in result if n.style != "root"]


def _only_rectified(node: Node) -> bool:
    return node.style != "unlabelled" and bool(RECTIFIED_SECTION.search(node.title))


def _labelled_items_of(node: Node) -> list[Node]:
    """A problem per labelled line, the lines after it its body; none where the node's own
    heading names a problem (its 存在问题： is its description)."""
    starts = _labelled(node)
    if not starts or not (node.style == "root" or _generic(node)):
        return []
    ends = [*starts[1:], len(node.body)]
    return [
        Node(
            "unlabelled", "", PROBLEM_LINE.sub("", node.body[start]), [], node.body[start + 1 : end]
        )
        for start, end in zip(starts, ends, strict=True)
    ]


def _generic(node: Node) -> bool:
    return bool(GROUP_SECTION.search(node.title) or RECTIFIED_SECTION.search(node.title))


def _paragraphs_of(node: Node) -> list[Node]:
    lines = [line for line in node.body if not FURNITURE.match(line)]
    return [Node("unlabelled", "", line) for line in lines]


# ---------------------------------------------------------------- the office's own feedback

# A top-level title that groups problems rather than being one.
GROUPS = re.compile(r"方面|(?:主要|存在|发现|具体)的?问题|问题(?:清单|如下)|反馈意见")
# What the feedback asks of the unit, after its problems.
ADVICE = re.compile(
    r"意见建议|整改(?:意见|建议|要求)|^(?:巡察|巡视)?(?:组)?(?:的)?(?:意见|建议|要求)"
)


# The words that say something is wrong.
FAULT = re.compile(
    r"不|未|没有|缺|差距|弱化|薄弱|偏差|短板|欠缺|滞后|问题|乱|违规|违反|松|虚|低|差|少|慢"
)


def _problems_at_top(top: list[Node]) -> bool:
    """Whether the feedback's top-level headings are its problems: two or more, none of them a
    group of problems (an area, 存在的主要问题)."""
    problems = [node for node in top if _is_problem_at_top(node)]
    if len(problems) < 2 or any(GROUPS.search(node.title) for node in top):
        return False
    # Sections numbered （一） below are problems of an area (一、党的领导弱化); a problem's
    # instances are numbered 1. or told in its paragraph.
    if any(child.style == "(cn)" for node in problems for child in node.children):
        return False
    # Problems say what is wrong; a list of places (市科技馆, 市第二人民医院) holds problems.
    return sum(bool(FAULT.search(node.title)) for node in problems) * 2 >= len(problems)


def _is_problem_at_top(node: Node) -> bool:
    return not (ADVICE.search(node.title) or _is_closing(node))


def _folded(node: Node) -> Node:
    """A problem whose numbered sub-items (its instances) become lines of its text."""
    lines = list(node.body)
    for child in node.children:
        child = _folded(child)
        lines += [f"{child.number}、{child.heading}" if child.number else child.heading]
        lines += child.body
    return Node(node.style, node.number, node.heading, [], lines)


RUN_IN_ITEM = re.compile(rf"(?:^|(?<=[。；;：:，,]))\s*([{CN}]+)是")


def _split_run_in(found: list, rules: list[str]) -> list:
    """An area of feedback (…方面) whose paragraph lists its problems run in (一是…；二是…)
    gives one problem per item, under the area."""
    result = []
    for node, path in found:
        items = _run_in_items(node) if "方面" in _first_sentence(node.heading) else []
        if len(items) < 2:
            result.append((node, path))
            continue
        add_rule(rules, "feedback_run_in_problems")
        result += [(Node("run_in", number, text), [*path, node.title]) for number, text in items]
    return result


def _run_in_items(node: Node) -> list[tuple[str, str]]:
    """(number, text) of each 一是… item in a node's heading and body, in order."""
    text = "".join([node.heading, *node.body])
    starts = list(RUN_IN_ITEM.finditer(text))
    ends = [match.start() for match in starts[1:]] + [len(text)]
    items = [
        (match.group(1), text[match.end() : ends[n]].strip(" ；;，,。"))
        for n, match in enumerate(starts)
    ]
    return [(number, item) for number, item in items if item]


# Where an account of feedback starts listing its problems: "存在以下四个方面的问题：",
# "仍存在一些问题，主要是", "主要有以下六个方面：".
INTRO = re.compile(
    r"(?:问题|不足|方面)[^。；;：:]{0,12}?(?:[:：]|主要(?:是|有|表现为|表现在)[:：]?)"
)
# "有的村党组织存在A、B、…、G等问题": the problems listed inside one sentence.
LISTED = re.compile(r"存在([^。：:；;]{6,300}?)等(?:方面(?:的)?)?问题")
# "问题 A。B。… 建议 …": a label set apart, the problems its sentences, until the suggestions.
LABELLED = re.compile(r"(?:^|\s)问题\s+(?=\S)")
NEXT_LABEL = re.compile(r"\s(?:建议|意见)\s|\n")
AFTERWORD = re.compile(r"^(?:此外|另外|同时|巡视组还|巡察组还)")


def _paragraph_problems(root: Node, rules: list[str]) -> list[tuple[Node, list[str]]]:
    """The problems an account of feedback without headings lists in a paragraph: by area
    (一是X方面：A；B。二是…), run in (一是…二是…), separated by semicolons after 主要是, by 、
    before 等问题, or as the sentences under a label 问题."""
    if root.children:
        return []
    text = "\n".join(root.body)
    for finder in (_area_items, _introduced_items, _listed_items, _labelled_items):
        items = finder(text)
        if len(items) >= 2:
            add_rule(rules, "feedback_paragraph_problems")
            return [(Node("paragraph", number, item), path) for number, item, path in items]
    return []


def _area_items(text: str) -> list[tuple[str, str, list[str]]]:
    """ "一是党的领导方面：A；B；C。二是…": each area's problems, separated by semicolons."""
    line = next((line for line in text.split("\n") if RUN_IN_AREA.search(line)), "")
    items = []
    for _, item in _run_in_items(Node("paragraph", "", line)):
        area = AREA_LABEL.match(item)
        if area is None:
            break
        problems = item[area.end() :]
        problems = problems[: sentence_end(problems, FULL_STOP)]
        items += [("", part, [area.group(1)]) for part in _semicolon_parts(problems)]
    return items


RUN_IN_AREA = re.compile(rf"[{CN}]+是[^。；;：:，,]{{2,20}}方面\s*[:：]")


def _semicolon_parts(text: str) -> list[str]:
    parts = [part.strip(" ，,。") for part in re.split(r"[；;]", text)]
    return [part for part in parts if part]


def _introduced_items(text: str) -> list[tuple[str, str, list[str]]]:
    intro = INTRO.search(text)
    if intro is None:
        return []
    rest = text[intro.end() :].split("\n")[0]
    run_in = RUN_IN_ITEM.search(rest)
    if run_in is not None and run_in.start() <= 12:
        items = _run_in_items(Node("paragraph", "", rest[run_in.start() :]))
        if items:
            number, last = items[-1]
            items[-1] = (number, last[: sentence_end(last, FULL_STOP)])
        return [(number, item, []) for number, item in items]
    return [("", part, []) for part in _semicolon_parts(rest[: sentence_end(rest, FULL_STOP)])]


def _listed_items(text: str) -> list[tuple[str, str, list[str]]]:
    listed = LISTED.search(text)
    if listed is None:
        return []
    parts = [part.strip() for part in listed.group(1).split("、")]
    return [("", part, []) for part in parts if part] if len(parts) >= 3 else []


def _labelled_items(text: str) -> list[tuple[str, str, list[str]]]:
    labelled = LABELLED.search(text)
    if labelled is None:
        return []
    rest = text[labelled.end() :]
    following = NEXT_LABEL.search(rest)
    items = []
    for sentence in re.split(r"(?<=。)", rest[: following.start()] if following else rest):
        sentence = sentence.strip()
        if AFTERWORD.match(sentence):
            break
        if sentence:
            items.append(("", sentence, []))
    return items


def _first_sentence(text: str) -> str:
    return text[: sentence_end(text, FULL_STOP)]
