"""From lines of text to the outline of a rectification document, and its problems.

Headings are numbered lines (一、 （一） 1. （1） 1) ① and the unnumbered 在“…”方面); their
nesting follows the order in which numbering styles first appear, as in a Word outline, so a
numbering slip (two headings numbered 三) changes nothing. A numbered line that follows a
"整改情况：" lead-in, in a style not yet open in the outline, is body text (a measure), as are
run-in items (一是…二是…). Problems are the headings with no headings below them, under the
top-level sections that speak of problems; the sections before and after (organising the work,
next steps) are left out.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from zhenggai.intake.warning import ParseWarning

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
LEAD_IN = re.compile(r"^(整改(落实)?(情况|措施|进展|成效)|具体整改措施|完成情况)\s*[:：]")
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
CLOSING = re.compile(r"工作要求|保障措施|下一步|指导思想|工作目标|基本原则|组织推进|组织实施")


def normalise(line: str) -> str:
    """Spaces of every width made plain and trimmed; CRLF and full-width forms of numbering are
    left for the patterns, which accept both."""
    return _WIDE_SPACE.sub(" ", line).strip()


def numbering(line: str) -> tuple[str, str, str] | None:
    """(style, number, rest) of a numbered heading line, or None."""
    if ZAI.match(line):
        return "zai", "", line
    if RUN_IN.match(line):
        return None
    for style, pattern in STYLES:
        found = pattern.match(line)
        if found:
            number = unicodedata.normalize("NFKC", found.group(1))
            return style, number, line[found.end() :].strip()
    return None


def clean_title(text: str) -> str:
    """A heading's title: the subject of 关于…问题 / 在“…”方面, else its first sentence."""
    text = text.strip()
    about = ABOUT.match(text)
    if about:
        subject = _framed_subject(text[about.end() :])
        if subject:
            return subject
    end = SENTENCE_END.search(text)
    title = text[: end.start()] if end else text
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

    @property
    def title(self) -> str:
        return clean_title(self.heading)

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def build(lines: list[str]) -> Node:
    """The outline tree of the document; text before the first heading and after the closing
    (the call for public supervision, contacts) sits in the root's body."""
    root = Node("root", "", "")
    stack: list[Node] = [root]
    in_body = ended = False
    awaiting: Node | None = None  # a heading whose number stood alone on its line
    tail = int(len(lines) * 0.85)
    for index, raw in enumerate(lines):
        line = normalise(raw)
        if not line:
            continue
        ended = ended or bool(ENDING.match(line)) or (index >= tail and bool(CONTACTS.match(line)))
        found = None if ended else numbering(line)
        if awaiting is not None and not found:
            awaiting.heading, awaiting = line, None
            continue
        open_styles = [node.style for node in stack[1:]]
        if found and (not in_body or found[0] in open_styles):
            style, number, rest = found
            if style in open_styles:
                del stack[open_styles.index(style) + 1 :]
            node = Node(style, number, rest)
            stack[-1].children.append(node)
            stack.append(node)
            in_body = False
            awaiting = node if not rest else None
            continue
        (root if ended else stack[-1]).body.append(line)
        if LEAD_IN.match(line):
            in_body = True
    return root


def problem_nodes(root: Node) -> tuple[list[tuple[Node, list[str]]], list[ParseWarning]]:
    """[(problem node, path)] and warnings. The top-level sections kept are those whose title
    or whose sections' titles speak of problems; a single kept section that only wraps the
    areas is left out of the paths."""
    warnings = []
    kept = [
        node
        for node in root.children
        if not CLOSING.search(node.title)
        and (
            PROBLEMISH.search(node.title)
            or any(PROBLEMISH.search(child.title) for child in node.children)
        )
    ]
    if not kept:
        kept = root.children
        if kept:
            warnings.append(ParseWarning("no_problem_section"))
    wrapper = len(kept) == 1 and any(child.children for child in kept[0].children)
    found = []
    for top in kept:
        start = top.children if wrapper else [top]
        for node in start:
            _collect(node, [], found)
    return found, warnings


def _collect(node: Node, path: list[str], found: list) -> None:
    if not node.children:
        found.append((node, path))
        return
    for child in node.children:
        _collect(child, [*path, node.title], found)
