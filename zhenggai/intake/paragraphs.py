"""Problems a document gives without headings of their own, read from its paragraphs: the lines
that give a problem under its label (问题描述：…), the paragraphs of a section that only groups
problems (审计发现的主要问题), and in the office's own feedback an area's paragraph that lists
its problems run in (一是…二是…), or an account without headings that lists them in a paragraph
(by area, run in, after 主要是, by 、 before 等问题, under a label 问题). Reads the nodes
outline.py built; each problem found becomes a Node of its own.
"""

import re

from zhenggai.intake.headings import AREA_LABEL, CN, FULL_STOP, Node, sentence_end
from zhenggai.intake.rules import add as add_rule

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


def labelled(node: Node) -> list[int]:
    """Where the lines of a node's body that give a problem under its label are."""
    return [n for n, line in enumerate(node.body) if PROBLEM_LINE.match(line)]


def unfolded(found: list, rules: list[str]) -> list:
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
    starts = labelled(node)
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

RUN_IN_ITEM = re.compile(rf"(?:^|(?<=[。；;：:，,]))\s*([{CN}]+)是")


def split_run_in(found: list, rules: list[str]) -> list:
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


def paragraph_problems(root: Node, rules: list[str]) -> list[tuple[Node, list[str]]]:
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
