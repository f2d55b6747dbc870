"""The monthly 考核通报 as a Word document in the project's GB/T 9704 layout (the built-in
template's styles, page set-up and page numbers, and the evaluation bulletin's table styles),
written from the month's standing: the ranking per group with subtotals per 指标类别, the
红黑榜, the deductions, the units called in by the bottom rule and the corrections after the
lock."""

import re
from datetime import date
from io import BytesIO

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.shared import Mm

from zhenggai.assessments.standings import Standing
from zhenggai.evaluations.bulletin_docx import (
    TABLE_HEADER_STYLE,
    TABLE_STYLE,
    blank_document,
    cn_date,
    repeat_header,
)

TYPE_AREA_MM = 156
RANK_MM, UNIT_MM, TOTAL_MM = 12, 40, 16
NUMERALS = "一二三四五六七八九十"


def work_name(title: str) -> str:
    """What a scheme assesses, from its title: "2025年优化营商环境工作考核办法" → "优化营商环境工作"."""
    name = re.sub(r"^\d{4}年(度)?", "", title.strip())
    # A group named after the title ("…考核办法（部门）"): the 通报 covers every group.
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    name = re.sub(r"(考核办法|考核实施办法|考核细则)$", "", name)
    return name or "月度"


def bulletin_title(standings: list[Standing]) -> str:
    month = standings[0].month
    return f"关于{month.label}{work_name(month.scheme.title)}考核情况的通报"


def _points(value) -> str:
    return f"{value:.2f}"


def _table(document, standing: Standing) -> None:
    sections = standing.sections
    rest = TYPE_AREA_MM - RANK_MM - UNIT_MM - TOTAL_MM
    widths = [Mm(RANK_MM), Mm(UNIT_MM)] + [Mm(rest / max(len(sections), 1))] * len(sections)
    widths.append(Mm(TOTAL_MM))
    values = [["排名", "单位", *sections, "总分"]] + [
        [
            str(row.rank),
            row.name,
            *(_points(row.subtotals[s]) for s in sections),
            _points(row.total),
        ]
        for row in standing.rows
    ]
    table = document.add_table(rows=len(values), cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header, body = (document.styles[name].style_id for name in (TABLE_HEADER_STYLE, TABLE_STYLE))
    for index, (row, texts) in enumerate(zip(table.rows, values, strict=True)):
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph._p.style = header if index == 0 else body
            paragraph.add_run(text)
    repeat_header(table.rows[0])


def _listed(rows) -> str:
    return "、".join(f"{row.name}（{_points(row.total)}分）" for row in rows) or "无"


def _amount(value) -> str:
    return f"扣{_points(-value)}分" if value < 0 else f"加{_points(value)}分"


def _deduction(item) -> str:
    rule = f"（依据：{item.rule}）" if item.rule else ""
    late = "（锁定后更正）" if item.is_correction else ""
    return f"{item.occurred_on.month}月{item.occurred_on.day}日，{item.indicator}：{item.reason}{rule}，{_amount(item.amount)}{late}。"


def _opening(standings: list[Standing], office) -> str:
    month = standings[0].month
    units = sum(len(s.rows) for s in standings)
    titles = "、".join(dict.fromkeys(f"《{s.month.scheme.title}》" for s in standings))
    groups = f"分{len(standings)}个组排名" if len(standings) > 1 else "并进行了排名"
    return (
        f"按照{titles}，{office.name}对{units}个单位{month.label}的工作情况进行了考核，"
        f"{groups}。现将考核情况通报如下。"
    )


class _Writer:
    def __init__(self, document):
        self.document = document
        self.parts = 0

    def add(self, style: str, text: str = "") -> None:
        self.document.add_paragraph(text, style=style)

    def part(self, heading: str) -> None:
        self.add("一级标题", f"{NUMERALS[self.parts]}、{heading}")
        self.parts += 1


def _group_heading(standings, index, standing) -> str | None:
    return (
        f"（{NUMERALS[index]}）{standing.month.scheme.group.name}" if len(standings) > 1 else None
    )


def _results(out: _Writer, standings: list[Standing]) -> None:
    out.part("考核结果")
    for index, standing in enumerate(standings):
        heading = _group_heading(standings, index, standing)
        if heading:
            out.add("二级标题", heading)
        out.add(
            "公文正文",
            f"“{standing.month.scheme.group.name}”组共{len(standing.rows)}个单位参加考核，"
            "按总分由高到低排名，各指标类别得分如下表。",
        )
        if standing.rows:
            _table(out.document, standing)


def _lists(out: _Writer, standings: list[Standing]) -> None:
    out.part("红黑榜")
    for standing in standings:
        group = standing.month.scheme.group.name
        out.add("公文正文", f"{group}红榜：{_listed(standing.top)}。")
        out.add("公文正文", f"{group}黑榜：{_listed(standing.bottom)}。")


def _deductions(out: _Writer, standings: list[Standing]) -> None:
    out.part("加减分情况")
    items = [item for standing in standings for item in standing.deductions]
    if not items:
        out.add("公文正文", "本月没有加减分事项。")
    for unit in dict.fromkeys(item.unit for item in items):
        texts = "".join(_deduction(item) for item in items if item.unit == unit)
        out.add("公文正文", f"{unit}：{texts}")


def _interviews(out: _Writer, standings: list[Standing], office) -> None:
    out.part("末位约谈")
    called = False
    for standing in standings:
        if standing.interviewed:
            called = True
            scheme = standing.month.scheme
            running = f"连续{scheme.bottom_months}个月" if scheme.bottom_months > 1 else "本月"
            place = "末位" if scheme.bottom_count == 1 else f"后{scheme.bottom_count}名"
            out.add(
                "公文正文",
                f"{'、'.join(standing.interviewed)}{running}在“{scheme.group.name}”组考核排名中"
                f"处于{place}，按照考核办法，由{office.name}进行约谈，"
                "约谈承诺纳入整改闭环管理，跟踪督促落实。",
            )
    if not called:
        out.add("公文正文", "本月没有单位触发末位约谈。")


def _corrections(out: _Writer, standings: list[Standing]) -> None:
    items = [item for standing in standings for item in standing.corrections]
    if not items:
        return
    out.part("锁定后更正")
    for item in items:
        unit = f"{item.unit}：" if item.unit else ""
        out.add("公文正文", f"{cn_date(item.on)}，{unit}{item.note}。")


def month_bulletin_docx(standings: list[Standing], *, office, issued_on: date) -> bytes:
    """The 通报 of one calendar month's standings (one per group, same office) as a .docx."""
    document = blank_document()
    out = _Writer(document)
    title = bulletin_title(standings)
    out.add("公文标题", title)
    out.add("主送机关")
    out.add("主送机关", "各参加考核单位：")
    out.add("公文正文", _opening(standings, office))
    _results(out, standings)
    _lists(out, standings)
    _deductions(out, standings)
    _interviews(out, standings, office)
    _corrections(out, standings)
    out.add("公文正文")
    out.add("公文正文")
    out.add("落款", office.name)
    out.add("落款", cn_date(issued_on))
    core = document.core_properties
    core.title, core.author = title, office.name
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
