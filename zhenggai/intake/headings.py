"""What a line of a rectification document says as a heading: whether it is one and its
numbering (一、 （一） 1. （1） 1) ①, the unnumbered 在“…”方面 and 关于“…”问题的整改情况), the
title it gives (the subject of 关于…问题, else its first sentence), whether a title states a
fault or is a slogan about the work, and the Node a heading opens in the outline. The ground
the outline (outline.py) and its rules (sections.py, paragraphs.py) stand on; it imports none
of them.
"""

import re
import unicodedata
from dataclasses import dataclass, field

CN = "一二三四五六七八九十百零〇"
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
# 关于…问题 / 在“…”方面: the words that frame a heading's subject, and what may follow them.
ABOUT = re.compile(r"^(关于|在(?=\s*[“\"]))\s*")
FRAME_END = re.compile(
    r"(?:的)?(?:问题|方面)[”\"]?(?:的)?(?:整改(?:落实|工作)?(?:情况|措施|进展|成效)?)?\s*$"
)
SENTENCE_END = re.compile(r"[。；;]|如[:：]|例如[:：]|[,，]\s*(?=截至|截止|其中|如[:：,，])")


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
    if gap and slogan(gap.group(1)):
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


# The words that say something is wrong.
FAULT = re.compile(
    r"不|未|没有|缺|差距|弱化|薄弱|偏差|短板|欠缺|滞后|问题|乱|违规|违反|松|虚|低|差|少|慢"
)


def slogan(title: str) -> bool:
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
