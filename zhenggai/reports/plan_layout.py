"""The built-in Word template of the 整改方案, on the GB/T 9704 page of docx_layout.

Its shape is that of the plans offices issue (seed 003): the title, an opening that says what
the plan answers, then 一、指导思想, 二、组织领导 (the leading group, one line each), 三、整改任务
(area by area, problem by problem, each measure followed by its 责任领导, 牵头科室, 责任科室
and 整改时限 on lines of their own) and 四、工作要求, signed by the issuing body. The parts and
their numbers come from plan_content, so an office that edits the template keeps them.
"""

from zhenggai.reports.docx_layout import layout

# (style, text), as docx_layout.BODY; a text starting "{%p" is a docxtpl tag line.
BODY = [
    ("公文标题", "{{ title }}"),
    ("公文正文", ""),
    ("公文正文", "{{ opening }}"),
    ("{%p", "{%p for part in parts %}"),
    ("一级标题", "{{ part.heading }}"),
    ("{%p", "{%p for text in part.paragraphs %}"),
    ("公文正文", "{{ text }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p for area in part.areas %}"),
    ("二级标题", "{{ area.heading }}"),
    ("{%p", "{%p for problem in area.problems %}"),
    ("三级标题", "{{ problem.heading }}"),
    ("{%p", "{%p for text in problem.paragraphs %}"),
    ("公文正文", "{{ text }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p for measure in problem.measures %}"),
    ("公文正文", "{{ measure.text }}"),
    ("{%p", "{%p for line in measure.duties %}"),
    ("公文正文", "{{ line }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("公文正文", ""),
    ("公文正文", ""),
    ("落款", "{{ issuer }}"),
    ("落款", "{{ signed_on }}"),
]


def build_template() -> bytes:
    """The built-in template of the 整改方案."""
    return layout(BODY, "整改方案模板")
