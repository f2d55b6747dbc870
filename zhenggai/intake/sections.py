"""Which top-level sections of a document hold its problems: those that speak of problems
(by their title or their sections' titles), not those about the work itself (organising it,
methods, next steps, slogans) or the closing ones; a section that says it holds problems it
does not list, or names an audit item, is no problem itself; and in the office's own feedback,
whether the top-level headings are the problems themselves. Reads the nodes outline.py built.
"""

import re

from zhenggai.intake.headings import (
    CN,
    FAULT,
    IN_AREA,
    STYLES,
    ZAI,
    D,
    Node,
    cn_to_int,
    slogan,
    states_fault,
)
from zhenggai.intake.paragraphs import labelled
from zhenggai.intake.rules import add as add_rule
from zhenggai.intake.warning import ParseWarning

PROBLEMISH = re.compile(r"问题|方面|整改任务|整改事项|反馈意见")
CLOSING = re.compile(
    r"工作要求|保障措施|下一?步|指导思想|工作目标|(?:基本|整改|工作)原则|组织推进|组织实施"
)


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
    return bool(WORK.search(node.title)) or (not node.children and slogan(node.title))


def _speaks_of_problems(node: Node) -> bool:
    return bool(
        PROBLEMISH.search(node.title)
        or _names_an_area(node)
        or ((node.children or labelled(node)) and LISTING.search(node.title))
        or any(PROBLEMISH.search(child.title) for child in node.children)
        or bool(node.children and states_fault(node.title))  # 一、履行主体责任不到位
    )


def problem_sections(top: list[Node], rules: list[str]) -> tuple[list[Node], list[ParseWarning]]:
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


def slogan_wrapper(node: Node) -> bool:
    """Whether a single section that wraps the areas is titled by a slogan about the work
    ("突出重点，注重实效，确保整改落到实处"), which no path repeats, rather than by what it
    holds ("整改内容", "反馈问题及整改措施"), which paths keep."""
    wraps = any(child.children for child in node.children)
    slogan = _is_work(node) or bool(re.search(r"[，,]", node.title))
    return wraps and slogan and not LISTS.search(node.heading)


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


def opens_on_audit(root: Node) -> bool:
    """Whether the text before the first heading (its title, its opening) speaks of an audit."""
    return any(AUDIT.search(line) for line in root.body[:12])


def without_empty_areas(
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


# ---------------------------------------------------------------- the office's own feedback

# A top-level title that groups problems rather than being one.
GROUPS = re.compile(r"方面|(?:主要|存在|发现|具体)的?问题|问题(?:清单|如下)|反馈意见")
# What the feedback asks of the unit, after its problems.
ADVICE = re.compile(
    r"意见建议|整改(?:意见|建议|要求)|^(?:巡察|巡视)?(?:组)?(?:的)?(?:意见|建议|要求)"
)


def problems_at_top(top: list[Node]) -> bool:
    """Whether the feedback's top-level headings are its problems: two or more, none of them a
    group of problems (an area, 存在的主要问题)."""
    problems = [node for node in top if is_problem_at_top(node)]
    if len(problems) < 2 or any(GROUPS.search(node.title) for node in top):
        return False
    # Sections numbered （一） below are problems of an area (一、党的领导弱化); a problem's
    # instances are numbered 1. or told in its paragraph.
    if any(child.style == "(cn)" for node in problems for child in node.children):
        return False
    # Problems say what is wrong; a list of places (市科技馆, 市第二人民医院) holds problems.
    return sum(bool(FAULT.search(node.title)) for node in problems) * 2 >= len(problems)


def is_problem_at_top(node: Node) -> bool:
    return not (ADVICE.search(node.title) or _is_closing(node))


def folded(node: Node) -> Node:
    """A problem whose numbered sub-items (its instances) become lines of its text."""
    lines = list(node.body)
    for child in node.children:
        child = folded(child)
        lines += [f"{child.number}、{child.heading}" if child.number else child.heading]
        lines += child.body
    return Node(node.style, node.number, node.heading, [], lines)
