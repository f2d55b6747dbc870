"""Accounts of feedback without headings (a news item on the feedback meeting): the problems
are those one paragraph lists, run in, after 主要是, before 等问题, or under a label 问题;
what the office asks afterwards (一是…二是… requirements) is not a problem."""

import pytest

from zhenggai.intake import parse_lines

TITLE = "区委第三巡察组向区委办反馈巡察情况"
REQUIREMENTS = "会议要求：一是提高政治站位；二是压实整改责任；三是建立长效机制。"


@pytest.mark.parametrize(
    ("paragraph", "titles"),
    [
        # A district news site (xdlzw.gov.cn, 2021): run in after "主要有：".
        (
            "巡察也发现了一些问题，主要有：一是学习贯彻习近平新时代中国特色社会主义思想不够深入，"
            "深改工作开展不够有力；二是落实党风廉政建设责任制还有差距；三是党内政治生活不够规范。",
            [
                "学习贯彻习近平新时代中国特色社会主义思想不够深入,深改工作开展不够有力",
                "落实党风廉政建设责任制还有差距",
                "党内政治生活不够规范",
            ],
        ),
        # Separated by semicolons after 主要是, the list ending at the full stop.
        (
            "但是，从巡察情况看仍存在一些问题，主要是落实立德树人根本任务不到位；"
            "“两个责任”落实不到位；巡视、审计等监督发现问题整改不彻底。",
            [
                "落实立德树人根本任务不到位",
                "“两个责任”落实不到位",
                "巡视、审计等监督发现问题整改不彻底",
            ],
        ),
        # Listed inside one sentence before 等问题.
        (
            "但巡察也发现了一些问题，有的村党组织存在政治理论学习不到位、实施乡村振兴战略不够有力、"
            "人居环境整治不彻底等问题。",
            ["政治理论学习不到位", "实施乡村振兴战略不够有力", "人居环境整治不彻底"],
        ),
        # A provincial daily's layout: the label 问题 set apart, then sentences until 建议.
        (
            "问题 对巡视整改重视不够，整改事项认定不准。资金资产项目违规操作。此外，巡视组还收到"
            "一些问题线索。 建议 严格执行“三重一大”决策制度。",
            ["对巡视整改重视不够,整改事项认定不准", "资金资产项目违规操作"],
        ),
    ],
)
def test_the_problems_a_paragraph_lists(paragraph, titles):
    document = parse_lines(
        [TITLE, "2021年8月2日，区委第三巡察组向区委办反馈巡察情况。", paragraph, REQUIREMENTS]
    )
    assert document.kind == "feedback"
    assert [p.title.replace("，", ",") for p in document.problems] == titles
    assert all(p.path == [] for p in document.problems)
    assert "feedback_paragraph_problems" in document.rules


def test_an_account_that_lists_no_problems_gives_none():
    document = parse_lines([TITLE, "反馈会上，巡察组组长反馈了巡察情况。", REQUIREMENTS])
    assert document.problems == []
    assert document.rules == []


def test_a_report_with_such_a_paragraph_is_not_read_as_feedback():
    lines = [
        "中共某局党组关于巡察整改情况的报告",
        "巡察组指出了一些问题，主要有：一是学习不深入；二是作风不实。",
    ]
    document = parse_lines(lines)
    assert document.kind == "report" and document.problems == []


def test_problems_listed_by_area_in_one_paragraph_sit_under_their_areas():
    # A district news item on a town's feedback (2023): areas run in, problems by semicolons.
    paragraph = (
        "会上，区委第一巡察组组长反馈了巡察情况。他指出，一是党的领导方面：党委领导不够坚强有力；"
        "贯彻落实党的决策部署不彻底不深入。二是党的建设方面：“三会一课”制度执行不到位；"
        "部分党支部党员管理不规范。巡察组建议，进一步加强党的领导。"
    )
    document = parse_lines(["6月5日，区委第一巡察组在金鸡滩镇召开巡察情况反馈会议。", paragraph])
    assert document.kind == "feedback"
    assert [(p.title, p.path) for p in document.problems] == [
        ("党委领导不够坚强有力", ["党的领导方面"]),
        ("贯彻落实党的决策部署不彻底不深入", ["党的领导方面"]),
        ("“三会一课”制度执行不到位", ["党的建设方面"]),
        ("部分党支部党员管理不规范", ["党的建设方面"]),
    ]


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("近日，市委第六专项巡察组巡察县人民医院党委情况反馈会召开。", "feedback"),
        # A firm's own news of its meeting on rectification, which mentions the feedback later.
        (
            "2月7日，公司党委召开专题会议，研究巡察整改和审计整改工作。会议指出，要落实巡察反馈意见。",
            "report",
        ),
        ("经省委批准，督察组向我市反馈了督察情况，指出了4个方面的问题。", "report"),
    ],
)
def test_an_opening_without_a_title_tells_the_offices_account_from_the_units(opening, kind):
    assert parse_lines([opening]).kind == kind
