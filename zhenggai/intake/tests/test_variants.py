"""Plausible variants of real documents (found in review) that must parse sensibly."""

import time

from zhenggai.intake import parse_file, parse_lines
from zhenggai.intake.extract import find_dates, problem_facts
from zhenggai.intake.tests.make import docx_file


def test_a_heading_number_alone_on_its_line_takes_the_next_line_as_title():
    lines = ["一、", "存在的问题", "（一）", "学习不深入。", "整改情况：已整改。"]
    problems = parse_lines(lines).problems
    assert [(p.number, p.title, p.path) for p in problems] == [("一", "学习不深入", ["存在的问题"])]


def test_a_decimal_amount_is_not_a_numbered_measure():
    facts = problem_facts("学习不深入", ["1.5万元专项资金已收回。"])
    assert facts["measures"][0].text == "1.5万元专项资金已收回。"


def test_a_leader_is_not_a_section_and_labels_on_one_line_are_separated():
    facts = problem_facts(
        "学习不深入", ["责任领导：张三  牵头科室：办公室  完成时限：2024年6月底前"]
    )
    assert facts["lead_units"] == ["办公室"]
    assert facts["deadline"].date == "2024-06-30"
    assert facts["measures"] == []


def test_labels_in_a_plan_heading_are_not_part_of_the_measure():
    lines = [
        "二、整改任务",
        "（一）强化组织领导。成立领导小组。牵头单位：办公室；完成时限：2024.6.30",
    ]
    problem = parse_lines(lines).problems[0]
    assert [m.text for m in problem.measures] == ["成立领导小组"]
    assert problem.lead_units == ["办公室"] and problem.deadline.date == "2024-06-30"


def test_in_feedback_the_text_under_a_problem_describes_it():
    lines = [
        "关于对某局巡察的反馈意见",
        "一、存在的问题",
        "（一）学习不深入。",
        "中心组学习流于形式。",
    ]
    document = parse_lines(lines)
    assert document.kind == "feedback"
    problem = document.problems[0]
    assert problem.measures == [] and problem.text == "中心组学习流于形式。"


def test_the_signature_is_not_a_measure():
    lines = [
        "一、存在的问题",
        "（一）学习不深入。",
        "整改情况：建立学习制度。",
        "中共某局党组",
        "2023年4月23日",
    ]
    document = parse_lines(lines)
    assert [m.text for m in document.problems[0].measures] == ["建立学习制度。"]
    assert document.dates["report"] == "2023-04-23"


def test_a_phone_number_inside_a_measure_does_not_end_the_problems():
    lines = [
        "一、存在的问题",
        "（一）服务不到位。",
        "整改情况：",
        "联系电话：12345 已公开。",
        "（二）作风不实。",
        *["正文"] * 10,
    ]
    assert [p.title for p in parse_lines(lines).problems] == ["服务不到位", "作风不实"]


def test_dates_the_feedback_first_and_a_period_across_the_new_year():
    dates = find_dates(
        "2022年11月1日至1月10日，巡察组进行了巡察。于2023年5月20日反馈意见，"
        "要求于2023年8月20日前完成。",
        [],
    )
    assert dates == {
        "inspection_start": "2022-11-01",
        "inspection_end": "2023-01-10",
        "feedback": "2023-05-20",
    }


def test_long_runs_of_digits_parse_quickly():
    started = time.perf_counter()
    parse_lines(["1" * 20000, "一" * 8000])
    assert time.perf_counter() - started < 2


def test_a_soft_line_break_in_word_starts_a_heading(tmp_path):
    path = docx_file(
        ["一、存在的问题", "（一）学习不深入。\n（二）作风不实。"], tmp_path / "soft.docx"
    )
    assert [p.title for p in parse_file(path).problems] == ["学习不深入", "作风不实"]


def test_numbering_that_does_not_hold_together_is_ignored(tmp_path):
    import zipfile

    path = docx_file(
        ["一、存在的问题", "（一）学习不深入。"], tmp_path / "n.docx", auto_numbered=True
    )
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/numbering.xml":
                data = data.replace(b'w:start w:val="1"', b'w:start w:val="110"', 1)
                data = data.replace(b'w:ilvl="1"', b"", 1)
            target.writestr(item, data)
    document = parse_file(broken)  # no crash: numbers as far as they make sense, else as typed
    assert document.kind == "report"
