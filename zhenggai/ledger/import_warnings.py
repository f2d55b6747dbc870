"""The parser's warnings (zhenggai.intake.warning) as the import's preview says them, in Chinese:
one template per code, formatted with the warning's arguments."""

from zhenggai.intake.warning import ParseWarning

WARNINGS_ZH = {
    "declared_problems_mismatch": "文件中写明有 {declared} 个问题，但识别出 {parsed} 个，请逐条核对。",
    "declared_problems_run_together": (
        "文件中写明有 {declared} 个问题，但识别出 {parsed} 个，请逐条核对。"
    ),
    "declared_per_area_differs": (
        "文件中写明有 {declared} 个问题，但各方面分别列出的问题数合计为 {summed} 个，请核对。"
    ),
    "declared_areas_mismatch": "文件中写明有 {declared} 个方面，但识别出 {parsed} 个，请核对所属方面。",
    "traditional_chinese": "文件为繁体中文，已按简体识别和导入。",
    "date_lost_characters": "原文日期“{text}”缺字，未从中读取日期，请手工核对。",
    "only_work_sections": "文件中只有整改工作的组织、做法、打算等内容，没有识别出问题，请核对文件是否完整。",
    "area_without_problems": "“{title}”写明有 {count} 个问题，但未列出具体问题（文件可能不完整），未作为问题导入。",
    "audit_item_without_problems": "“{title}”是审计事项，未列出具体问题（文件可能不完整），未作为问题导入。",
    "no_problem_section": "文件中没有“问题”字样的标题，已把每个标题当作一个问题。",
    "several_rounds": "表格包含 {rounds} 个轮次（【…】标题），将全部导入当前轮次。",
    "table_outline_used": "正文列出 {text} 个问题，台账表格列出 {table} 个，已按表格识别，请逐条核对。",
}
UNKNOWN_ZH = "识别时有异常，请逐条核对。"


def warning_zh(warning: ParseWarning | dict | str) -> str:
    """A parser's warning in Chinese: as the parser gave it, or as a draft keeps it (JSON).
    Drafts saved before warnings had codes hold English sentences, shown as they are."""
    if isinstance(warning, ParseWarning):
        code, args = warning.code, warning.args
    elif isinstance(warning, dict):
        code, args = warning.get("code"), warning.get("args") or {}
    else:
        return warning
    template = WARNINGS_ZH.get(code)
    try:
        return template.format(**args) if template else UNKNOWN_ZH
    except (KeyError, IndexError):
        return UNKNOWN_ZH


# The rules that shaped an outline (zhenggai.intake.rules.RULES), as the preview names them.
RULES_ZH: dict[str, str] = {
    "unnumbered_problem_headings": "按“关于…问题的整改情况”段落识别问题（段落无编号）",
    "work_sections_left_out": "整改工作的组织、做法、打算等部分不作为问题",
    "feedback_top_level": "反馈意见的一级标题即为问题",
    "feedback_run_in_problems": "按方面段落中的“一是……二是……”识别问题",
    "feedback_paragraph_problems": "按反馈段落中列举的问题识别（无标题的反馈情况）",
    "problems_without_headings": "按“问题描述：”等标注或“发现的主要问题”下的段落识别问题（无编号标题）",
    "declared_per_area_summed": "问题总数按各方面所列问题数合计",
    "declared_progress_summed": "已整改、需长期坚持的问题数按各部分分别列出的数合计",
    "label_without_colon": "识别未加冒号的“牵头单位”“责任单位”等标注",
}


def rules_zh(codes: list[str]) -> list[str]:
    """Each rule that shaped an outline, in Chinese; a code not worded yet is left out."""
    return [RULES_ZH[code] for code in codes if code in RULES_ZH]
