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
(rules.RULES), so the preview can say how the outline was found. Here the tree is built and
its problems gathered; what a line says as a heading is read in headings.py, which sections
hold problems in sections.py, and problems without headings of their own in paragraphs.py.
"""

import re

from zhenggai.intake.headings import CN, Node, cn_to_int, normalise, numbering
from zhenggai.intake.model import IntakeError
from zhenggai.intake.paragraphs import paragraph_problems, split_run_in, unfolded

# RULES is named here too: the rules that shape an outline (ParsedDocument.rules).
from zhenggai.intake.rules import RULES as RULES
from zhenggai.intake.rules import add as add_rule
from zhenggai.intake.sections import (
    folded,
    is_problem_at_top,
    opens_on_audit,
    problem_sections,
    problems_at_top,
    slogan_wrapper,
    without_empty_areas,
)
from zhenggai.intake.warning import ParseWarning

# Bounds on one upload: lines (after headings run together are split) and problems.
MAX_LINES = 200_000
MAX_PROBLEMS = 20_000
LEAD_IN = re.compile(r"^(整改(落实|完成)?(情况|措施|进展|成效)|具体整改措施|完成情况)\s*[:：]")
# Where the problems end: the call for public supervision, contacts, attachments, page furniture.
ENDING = re.compile(r"^(欢迎广大|欢迎社会各界|如有意见|附件[:：]|责编|【打印】)")
# Contacts end the problems only near the end of a document (a measure may give a phone number).
CONTACTS = re.compile(r"^(监督电话|联系方式|联系电话|电子信箱|电子邮箱)")


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
    if feedback and problems_at_top(root.children):
        add_rule(rules, "feedback_top_level")
        return [(folded(node), []) for node in root.children if is_problem_at_top(node)], []
    kept, warnings = problem_sections(root.children, rules)
    wrapper = len(kept) == 1 and slogan_wrapper(kept[0])
    found: list[tuple[Node, list[str]]] = []
    for top in kept:
        for node in top.children if wrapper else [top]:
            _collect(node, [], found)
    found = unfolded(found or [(root, [])], rules)
    found, warnings = without_empty_areas(found, warnings, audit=opens_on_audit(root))
    if feedback:
        found = split_run_in(found, rules) or paragraph_problems(root, rules)
    if any(node.style == "about" for node, _ in found):
        add_rule(rules, "unnumbered_problem_headings")
    return found, warnings


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
