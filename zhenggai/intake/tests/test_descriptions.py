"""A problem's own words (its description) are kept apart from what was done about it (its
measures); titles framed as 关于“…”问题 lose the frame; the round a document describes."""

import pytest

from zhenggai.intake import parse_file, parse_lines
from zhenggai.intake.extract import find_inspector
from zhenggai.intake.headings import clean_title
from zhenggai.intake.ledger import parse_rows
from zhenggai.intake.tests.conftest import NAMES, SEEDS

REPORT = [
    "中共某局党组关于巡察整改情况的报告",
    "2023年3月1日至4月30日，区委第二巡察组对某局党组进行了巡察，于2023年6月5日反馈了巡察意见。",
    "一、存在的问题及整改情况",
    "（一）关于“三重一大”制度执行不严格问题的整改情况",
    "存在问题：党组会议研究“三重一大”事项不规范，个别事项先办后议。",
    "整改情况：",
    "修订完善《党组议事规则》，明确“三重一大”事项范围。",
    "严格执行集体决策制度，杜绝先办后议。",
    "（二）关于干部选任不规范问题的整改情况",
    "个别干部试用期满未及时考核。",
    "整改措施：",
    "1.建立试用期满考核提醒制度。",
    "2.对试用期满干部逐一补考核。",
    "（三）学习不深入。中心组学习流于形式。整改情况：制定年度学习计划。",
    "我局整改工作取得了一定的成效，但仍有不足。下一步，将持续抓好整改。",
    "中共某局党组",
    "2023年8月1日",
]


@pytest.fixture
def report():
    return parse_lines(REPORT, "report.txt")


def test_the_description_before_the_lead_in_is_not_a_measure(report):
    first = report.problems[0]
    assert first.title == "“三重一大”制度执行不严格"
    assert first.text == "党组会议研究“三重一大”事项不规范，个别事项先办后议。"
    assert [m.text for m in first.measures] == [
        "修订完善《党组议事规则》，明确“三重一大”事项范围。",
        "严格执行集体决策制度，杜绝先办后议。",
    ]


def test_an_unlabelled_description_before_the_lead_in_is_the_description(report):
    second = report.problems[1]
    assert second.title == "干部选任不规范"
    assert second.text == "个别干部试用期满未及时考核。"
    assert [m.text for m in second.measures] == [
        "建立试用期满考核提醒制度。",
        "对试用期满干部逐一补考核。",
    ]


def test_a_heading_that_goes_on_describes_and_its_own_lead_in_starts_the_measures(report):
    third = report.problems[2]
    assert third.title == "学习不深入"
    assert third.text == "中心组学习流于形式"
    assert [m.text for m in third.measures] == ["制定年度学习计划"]


def test_the_closing_remark_under_the_last_problem_is_no_measure(report):
    assert all("下一步" not in m.text for p in report.problems for m in p.measures)
    assert all("下一步" not in p.text for p in report.problems)


def test_the_round_a_document_describes(report):
    assert report.inspector == "区委第二巡察组"
    assert report.dates["inspection_start"] == "2023-03-01"
    assert report.dates["inspection_end"] == "2023-04-30"
    assert report.dates["feedback"] == "2023-06-05"


def test_the_rest_of_a_heading_describes_and_a_run_in_after_the_lead_in_is_measures():
    lines = [
        "一、落实方面存在的问题",
        "1)学习传达不及时。局党组未及时组织学习,领悟精神滞后。",
        "整改落实情况:4月份以来,一是在党组会上组织学习;二是在主题党日组织学习。",
    ]
    problem = parse_lines(lines).problems[0]
    assert problem.title == "学习传达不及时"
    assert problem.text == "局党组未及时组织学习,领悟精神滞后"
    assert [m.text for m in problem.measures] == [
        "4月份以来,一是在党组会上组织学习",
        "在主题党日组织学习",
    ]


def test_a_plan_heading_still_gives_its_task_as_the_measure():
    lines = ["二、整改任务", "（一）强化组织领导。成立领导小组，专题研究部署。"]
    problem = parse_lines(lines).problems[0]
    assert [m.text for m in problem.measures] == ["成立领导小组，专题研究部署"]
    assert problem.text == ""


@pytest.mark.parametrize("name", NAMES)
def test_no_seed_problem_has_its_description_among_its_measures(name):
    for problem in parse_file(SEEDS / name).problems:
        measures = [m.text for m in problem.measures]
        for line in problem.text.splitlines():
            assert not any(line and line in m for m in measures), (problem.title, line)


@pytest.mark.parametrize(
    "heading, title",
    [
        ("关于“三重一大”制度执行不严格问题的整改情况", "“三重一大”制度执行不严格"),
        ("关于“三重一大”制度执行不严格的问题", "“三重一大”制度执行不严格"),
        ("关于“三重一大”制度执行不严格问题的整改情况：", "“三重一大”制度执行不严格"),
        ("关于“学习不深入”问题的整改情况", "学习不深入"),
        ("关于“学习不深入问题”的整改情况", "学习不深入"),
        ("关于“落实……不严不实问题的整改情况", "落实……不严不实"),
        ("关于“学习不深入。作风不实”问题", "学习不深入。作风不实"),
        ("关于“三重一大", "三重一大"),
        ("关于“打造“履约践诺”的信用环境建设存在短板” 问题", "打造“履约践诺”的信用环境建设存在短板"),
        ("关于“学习不深入”“执行不严”问题", "“学习不深入”“执行不严”"),
        ("关于干部选任不规范问题的整改情况", "干部选任不规范"),
        ("在“统筹推进科研诚信体系建设存在不足”方面", "统筹推进科研诚信体系建设存在不足"),
        ("在落实中央八项规定方面存在的问题", "在落实中央八项规定方面存在的问题"),
        ("关于加强学习的通知", "关于加强学习的通知"),
        ("学习不深入。如：", "学习不深入"),
    ],
)
def test_titles_lose_the_frame_and_never_keep_a_dangling_quotation(heading, title):
    assert clean_title(heading) == title
    assert not clean_title(heading).startswith("关于“")


@pytest.mark.parametrize(
    "sentence, body",
    [
        ("2021年4月，中共某市委员会第二巡视组对市财政局进行了巡视。", "中共某市委员会第二巡视组"),
        ("市审计局于2023年对区科技局开展了审计。", "市审计局"),
        ("按照区委统一部署，区委第三巡察组于2023年3月1日进驻。", "区委第三巡察组"),
        ("关于落实区委第一巡察组反馈意见整改情况的报告", "区委第一巡察组"),
        ("本局高度重视整改工作。", None),
    ],
)
def test_the_inspecting_body_is_read_where_it_acts(sentence, body):
    assert find_inspector([sentence]) == body


def test_a_ledger_with_a_description_column_keeps_it_apart_from_the_title():
    rows = [
        ["序号", "问题", "问题描述", "整改措施", "牵头科室"],
        ["1", "学习不深入", "中心组学习流于形式", "1.建立制度\n2.开展学习", "办公室"],
    ]
    problem = parse_rows(rows).problems[0]
    assert (problem.title, problem.text) == ("学习不深入", "中心组学习流于形式")
    assert [m.text for m in problem.measures] == ["建立制度", "开展学习"]
