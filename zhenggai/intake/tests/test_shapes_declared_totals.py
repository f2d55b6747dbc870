"""Declared totals phrased as real documents phrase them: counting words between the count and
问题, 条/项/个, areas without problems, progress counts, and totals given per area."""

import pytest

from zhenggai.intake import parse_lines
from zhenggai.intake.extract import find_declared


@pytest.mark.parametrize(
    ("text", "declared"),
    [
        # A county bureau's notice: areas, then 大项 that are not problems, then the problems.
        ("巡察组反馈了4个方面、11个大项、31条问题。", {"areas": 4, "problems": 31}),
        ("指出了6个方面18个突出问题，并提出了整改意见。", {"areas": 6, "problems": 18}),
        ("区委第二巡察组向区文联党组提出了4个方面整改意见。", {"areas": 4}),
        # A district discipline commission's progress notice (jw.km.gov.cn, 2023).
        (
            "截止目前，巡察反馈的697个问题，完成整改688个，基本完成取得阶段性成果并持续整改"
            "问题4个，未完成5个，总体完成率98.71%。",
            {"problems": 697, "completed": 688, "long_term": 4},
        ),
        # A district bureau's notice (wuch.gov.cn, 2023): 正在整改 is not long-term.
        (
            "截至目前，巡察反馈25个问题，已完成整改19个、正在整改6个，整改完成率76%。",
            {"problems": 25, "completed": 19},
        ),
        # A city audit report (ruijin.gov.cn): 项 and units between the areas and the problems.
        (
            "《审计报告》反映涉及4个方面、29个单位（部门）共计50项具体问题，报告日已整改40项，"
            "正在整改10项（含部分整改）。",
            {"areas": 4, "problems": 50, "completed": 40},
        ),
        ("反馈了党委职责定位还不够准确等10个方面27条具体问题。", {"areas": 10, "problems": 27}),
        ("涉及本镇问题有1项，现将整改落实情况报告如下：", {"problems": 1}),
        ("对于需要长期坚持的9个问题，将持续抓好整改。", {"problems": 9, "long_term": 9}),
        ("其中3个问题已取得阶段性成效，需长期坚持。", {"long_term": 3}),
        (
            "区委巡察组反馈问题共计35个，其中立行立改问题20个、限期整改问题12个、长期坚持问题3个。",
            {"problems": 35, "long_term": 3},
        ),
        (
            "共发现并通过督查云平台交办问题57个，截至10月10日整改问题28个，未整改问题29个。",
            {"problems": 57, "completed": 28},
        ),
        (
            "反馈问题28条，已整改完成25条，剩余3条需长期坚持。",
            {"problems": 28, "completed": 25, "long_term": 3},
        ),
        ("通报巡察发现6方面17项问题，并提出意见建议。", {"areas": 6, "problems": 17}),
    ],
)
def test_totals_in_the_words_documents_use(text, declared):
    assert find_declared(text) == declared


@pytest.mark.parametrize(
    "text",
    [
        "对每一个问题都逐条研究，明确责任。",  # 每一个 is not a count
        "现场督查3次，发现问题3个，提出整改建议3条。",  # a supervisor's own finds, no total
        "截至5月6日，3个问题已完成整改，2个问题已基本完成整改。",  # progress, no total stated
        "存在贯彻落实不深入、整改差距较大、其他突出问题4个方面的问题。",  # 4 areas, not problems
    ],
)
def test_counts_that_are_not_the_total_of_problems(text):
    assert "problems" not in find_declared(text)


AREAS_WITH_COUNTS = [
    "中共某局党组关于巡察整改情况的通报",
    "一、关于党的领导方面的问题（共2个问题）",
    "（一）学习不深入。",
    "整改情况：制定学习计划。",
    "（二）议事不规范。",
    "整改情况：修订议事规则。",
    "二、关于党的建设方面的问题（共1个问题）",
    "（一）支部活动不规范。",
    "整改情况：规范支部活动。",
]


def test_totals_given_per_area_are_summed_and_the_rule_named():
    document = parse_lines(AREAS_WITH_COUNTS)
    assert document.declared["problems"] == 3 == len(document.problems)
    assert "declared_per_area_summed" in document.rules
    assert not [w for w in document.warnings if w.code.startswith("declared")]


def test_a_total_that_disagrees_with_the_areas_counts_is_warned_of_not_replaced():
    lines = [AREAS_WITH_COUNTS[0], "巡察组共反馈问题5个。", *AREAS_WITH_COUNTS[1:]]
    document = parse_lines(lines)
    assert document.declared["problems"] == 5
    assert "declared_per_area_summed" not in document.rules
    differs = [w for w in document.warnings if w.code == "declared_per_area_differs"]
    assert differs and differs[0].args == {"declared": 5, "summed": 3}


def test_areas_under_one_heading_that_wraps_them_are_counted_at_their_own_level():
    lines = [
        "巡察组反馈了2个方面3个问题。",
        "一、反馈问题及整改措施",
        "（一）党的领导方面",
        "1.学习不深入。",
        "2.议事不规范。",
        "（二）党的建设方面",
        "1.支部活动不规范。",
    ]
    document = parse_lines(lines)
    assert document.problems[0].path == ["反馈问题及整改措施", "党的领导方面"]
    assert not document.warnings
    document = parse_lines(["巡察组反馈了3个方面3个问题。", *lines[1:]])
    assert [w.code for w in document.warnings] == ["declared_areas_mismatch"]


def test_progress_given_per_round_is_summed_when_the_rounds_add_up_to_the_total():
    # A county news item on an environmental inspection's follow-up (three rounds of feedback).
    text = (
        "督察组累计反馈并列入整改的共性和个性问题有46项，交办投诉举报件69件。截至目前，2016年，"
        "中央第一轮生态环境保护督察反馈的23项问题，完成整改并通过验收20项、需长期持续整改3项；"
        "2018年，回头看反馈5项问题，完成整改并通过验收4项、正在整改1项，交办的28件投诉举报件，"
        "2件需长期持续整改；2017年，省级环保督察反馈18项问题，完成整改11项、需长期持续整改7项。"
    )
    rules: list[str] = []
    assert find_declared(text, rules) == {"problems": 46, "completed": 35, "long_term": 10}
    assert rules == ["declared_progress_summed"]


def test_progress_stated_once_and_again_per_part_is_not_counted_twice():
    text = (
        "巡察反馈问题10个，已完成整改8个。其中党的领导方面反馈6个问题，已完成整改5个；"
        "党的建设方面反馈4个问题，已完成整改3个。"
    )
    assert find_declared(text) == {"problems": 10, "completed": 8}


def test_progress_stated_with_a_share_of_it_is_not_summed():
    # A total rectified and how many of them were rectified at once: not progress per part.
    text = (
        "县委巡察组反馈问题15个，截至目前已完成整改12个，其中立行立改完成整改8个。"
        "一、党的领导方面5个问题。二、全面从严治党方面6个问题。三、组织建设方面4个问题。"
    )
    rules: list[str] = []
    assert find_declared(text, rules) == {"problems": 15, "completed": 12}
    assert rules == []
