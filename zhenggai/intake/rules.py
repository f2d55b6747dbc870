"""The rules that may shape a document's outline, by code: what the preview names when it says
how the problems were found (ParsedDocument.rules). Worded here in English; the web words the
same codes in Chinese (zhenggai.ledger.import_warnings.RULES_ZH), so a code is never renamed."""

RULES = {
    "unnumbered_problem_headings": (
        "paragraphs framed as 关于“…”问题的整改情况 are taken as problem headings though unnumbered"
    ),
    "work_sections_left_out": (
        "sections about the work itself (organisation, methods, next steps) are left out;"
        " only the sections that list problems hold problems"
    ),
    "feedback_top_level": "in the office's feedback, the top-level headings are the problems",
    "feedback_run_in_problems": (
        "in the office's feedback, the items 一是…二是… of an area's paragraph are its problems"
    ),
    "feedback_paragraph_problems": (
        "in an account of feedback without headings, the problems are those a paragraph lists"
        " (一是…二是…, after 主要是, before 等问题, or under a label 问题)"
    ),
    "problems_without_headings": (
        "problems given without headings of their own: each line labelled 问题描述/存在问题/整改任务,"
        " or each paragraph of a section that only groups problems (发现的主要问题)"
    ),
    "declared_per_area_summed": (
        "the document gives its problem count per area: the declared total is their sum"
    ),
    "declared_progress_summed": (
        "the document gives its progress (completed, long-term) per part whose problem counts"
        " add up to its total: the declared counts are their sums"
    ),
    "label_without_colon": (
        "section labels written without a colon (责任单位区政府有关部门) are read as labels"
    ),
}


def add(rules: list[str], code: str) -> None:
    """Note that the rule `code` shaped the outline, once."""
    if code not in RULES:
        raise KeyError(code)
    if code not in rules:
        rules.append(code)
