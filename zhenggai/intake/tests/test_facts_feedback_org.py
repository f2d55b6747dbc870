"""A feedback's organisation is the body its title says was inspected ("关于巡察县统计局党组的
反馈意见"), the inspecting body's name before 关于 or not; a unit's own report that quotes the
feedback keeps its own name."""

import pytest

from zhenggai.intake import parse_file, parse_lines
from zhenggai.intake.extract import find_org
from zhenggai.intake.tests.make import docx_file

BODY = [
    "根据县委巡察工作统一部署，2024年3月10日至4月30日，县委第一巡察组对县统计局党组进行了"
    "常规巡察。现将巡察情况反馈如下。",
    "一、贯彻落实党的理论路线方针政策和党中央决策部署方面",
    "（一）统计数据质量管控不严。部分专业统计数据审核把关不细。",
    "（二）统计执法检查力度不够。对统计违法行为查处偏少。",
    "二、落实全面从严治党责任方面",
    "（一）党组主体责任履行不到位。对党风廉政建设研究部署不多。",
    "请县统计局党组在收到反馈意见后2个月内报送整改情况。",
    "县委第一巡察组",
    "2024年5月20日",
]


@pytest.mark.parametrize(
    ("title", "org"),
    [
        (["关于巡察县统计局党组的反馈意见"], "县统计局党组"),
        (["关于对县统计局党组开展巡察的反馈意见"], "县统计局党组"),
        (["县委第一巡察组关于巡察县卫健局党委的反馈意见"], "县卫健局党委"),
        (["关于对县统计局党组进行常规巡察情况的反馈意见"], "县统计局党组"),
        (["中共青山县委第一巡察组", "关于巡察县统计局党组的", "反馈意见"], "县统计局党组"),
    ],
)
def test_a_feedback_names_the_body_it_inspected_in_its_title(title, org):
    document = parse_lines([*title, *BODY])
    assert document.kind == "feedback"
    assert document.org == org
    assert len(document.problems) == 3


def test_the_inspecting_body_before_its_title_is_the_inspector_not_the_org(tmp_path):
    lines = ["县委第一巡察组关于巡察青山县卫生健康局党组的反馈意见", *BODY]
    document = parse_file(docx_file(lines, tmp_path / "反馈意见.docx"))
    assert (document.org, document.inspector) == ("青山县卫生健康局党组", "县委第一巡察组")
    assert document.title == lines[0]


def test_a_report_quoting_the_feedback_keeps_its_own_name():
    lines = [
        "中共县统计局党组关于落实县委第一巡察组关于巡察县统计局党组的反馈意见整改情况的报告",
        "根据县委统一部署，县委第一巡察组对我局党组进行了巡察。",
    ]
    assert find_org(lines) == "中共县统计局党组"


def test_a_title_that_names_no_inspection_gives_no_inspected_body():
    assert find_org(["关于全县统计工作的反馈意见", "现将有关情况反馈如下。"]) is None
