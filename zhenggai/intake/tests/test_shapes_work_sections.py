"""Sections about the work itself (organising it, methods, next steps) have their own
(一)(二)(三) items; only the part that lists problems holds problems."""

from zhenggai.intake import parse_lines

# The shape of a district bureau's report: how the work was organised, then the problems,
# then next steps; the work section's items even speak of 问题.
REPORT = [
    "中共某区科技局党组关于巡察整改情况的通报",
    "一、整改工作组织情况",
    "（一）提高政治站位，增强整改政治自觉。巡察意见反馈后，局党组第一时间召开专题会议。",
    "（二）坚持问题导向，建立问题清单、任务清单、责任清单。",
    "二、反馈问题整改落实情况",
    "（一）学习贯彻习近平新时代中国特色社会主义思想不够深入。",
    "整改情况：制定年度学习计划，开展集中学习12次。",
    "（二）落实“三重一大”制度不严格。",
    "整改情况：修订党组议事规则。",
    "三、下一步打算",
    "（一）持续巩固整改成果。",
    "（二）建立长效机制。",
]


def test_only_the_section_that_lists_problems_holds_problems():
    document = parse_lines(REPORT)
    assert [(p.title, p.path) for p in document.problems] == [
        ("学习贯彻习近平新时代中国特色社会主义思想不够深入", ["反馈问题整改落实情况"]),
        ("落实“三重一大”制度不严格", ["反馈问题整改落实情况"]),
    ]
    assert "work_sections_left_out" in document.rules


def test_a_section_titled_only_整改落实情况_lists_problems_beside_the_work():
    lines = [line.replace("反馈问题整改落实情况", "整改落实情况") for line in REPORT]
    document = parse_lines(lines)
    assert [p.path for p in document.problems] == [["整改落实情况"]] * 2


def test_a_text_that_stops_in_the_work_section_gives_no_problem_and_says_so():
    # An audit office's report on rectification (sjj.ningbo.gov.cn, 2023) whose stored text
    # ends in its first section.
    lines = [
        "宁波市审计局关于审计工作报告反映问题整改情况的报告",
        "一、整改工作总体部署和推进情况",
        "（一）市政府高度重视审计整改工作。市政府积极贯彻要求，抓好重大审计问题整改工作。",
        "（二）责任部门单位积极落实审计整改措施。涉及问题整改的责任部门和单位重视程度提升。",
    ]
    document = parse_lines(lines)
    assert document.problems == []
    assert [w.code for w in document.warnings] == ["only_work_sections"]


def test_a_work_section_without_items_beside_areas_changes_nothing():
    lines = [
        "一、高度重视，精心组织，认真落实整改责任",
        "局党组成立了巡察整改领导小组。",
        "二、在党的领导方面存在的问题",
        "（一）学习不深入。",
        "整改情况：制定学习计划。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == ["学习不深入"]
