"""Problems as unnumbered paragraphs "关于“…”问题的整改情况" under numbered category headings
whose numbers run on across areas (1–3 in the first area, 4–6 in the second), as Word files
give them when the problems' own numbers were lost."""

from zhenggai.intake import parse_file, parse_lines
from zhenggai.intake.tests.make import docx_file

REPORT = [
    "中共某区科学技术局党组关于巡察整改情况的报告",
    "一、聚焦贯彻落实党的路线方针政策方面存在的问题",
    "1.政治理论学习细照笃行还有差距",
    "关于“中心组学习不够深入”问题的整改情况",
    "严格落实中心组学习制度，今年已完成集体学习12次。",
    "关于“集体学习有漏项”问题的整改情况",
    "1.建立学习台账。",
    "2.逐月对账补学。",
    "3.纳入年度考核。",
    "2.意识形态工作责任制落实不到位",
    "关于“意识形态分析研判不及时”问题的整改情况",
    "每季度召开意识形态专题会议。",
    "二、聚焦全面从严治党方面存在的问题",
    "3.主体责任落实不够有力",
    "关于“党风廉政建设责任制落实不到位”问题的整改情况",
    "制定责任清单，层层签订责任书。",
    "4.作风建设有差距",
    "关于加班餐费报销不规范问题的整改情况",
    "清退违规报销费用。",
]

FIRST_AREA = "聚焦贯彻落实党的路线方针政策方面存在的问题"
SECOND_AREA = "聚焦全面从严治党方面存在的问题"


def test_each_paragraph_framed_as_a_problem_is_one_under_its_category():
    document = parse_lines(REPORT)
    assert [(p.title, p.path) for p in document.problems] == [
        ("中心组学习不够深入", [FIRST_AREA, "政治理论学习细照笃行还有差距"]),
        ("集体学习有漏项", [FIRST_AREA, "政治理论学习细照笃行还有差距"]),
        ("意识形态分析研判不及时", [FIRST_AREA, "意识形态工作责任制落实不到位"]),
        ("党风廉政建设责任制落实不到位", [SECOND_AREA, "主体责任落实不够有力"]),
        ("加班餐费报销不规范", [SECOND_AREA, "作风建设有差距"]),
    ]
    assert "unnumbered_problem_headings" in document.rules


def test_measures_numbered_again_under_a_problem_are_not_categories():
    second = parse_lines(REPORT).problems[1]
    assert [m.text for m in second.measures] == [
        "建立学习台账。",
        "逐月对账补学。",
        "纳入年度考核。",
    ]


def test_the_same_from_a_word_file(tmp_path):
    document = parse_file(docx_file(REPORT, tmp_path / "report.docx"))
    assert [p.title for p in document.problems] == [
        "中心组学习不够深入",
        "集体学习有漏项",
        "意识形态分析研判不及时",
        "党风廉政建设责任制落实不到位",
        "加班餐费报销不规范",
    ]


def test_a_sentence_that_only_mentions_a_problem_is_not_a_heading():
    lines = [
        "一、存在的问题",
        "（一）学习不深入。",
        "整改情况：关于学习不深入的问题，局党组专题研究，制定了学习计划。",
        "关于“学习不深入”问题，已在党组会上作了说明。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == ["学习不深入"]
    assert document.rules == []


def test_areas_framed_在_方面_speak_of_problems_without_a_warning():
    # A district bureau's notice (wuch.gov.cn, 2023): areas framed 在“…”方面, categories
    # 关于“…”问题的整改, problems (1)关于“…”.
    lines = [
        "(一)在“贯彻落实上级决策部署不够有力，党组领导核心作用发挥不足”方面",
        "1.关于“学习贯彻上级重大决策部署不够到位”问题的整改",
        "(1)关于“学思践悟重要论述精神不深不透。局党组未组织专题学习”问题的整改情况。",
        "局党组组织专题学习2次。",
        "(二)在组织建设方面",
        "2.关于“支部活动不规范”问题的整改",
        "(1)关于“三会一课落实不到位”问题的整改情况。",
        "严格落实三会一课制度。",
    ]
    document = parse_lines(lines)
    assert [p.path for p in document.problems] == [
        [
            "贯彻落实上级决策部署不够有力，党组领导核心作用发挥不足",
            "学习贯彻上级重大决策部署不够到位",
        ],
        ["组织建设", "支部活动不规范"],
    ]
    assert not document.warnings
