"""A space inside a heading ends its title only where a page ran a paragraph into a heading
that is a slogan about the work ("查找问题根源，明确整改方向 结合…"); a problem's title that
holds a space (a Word document's justified line) is kept whole."""

from zhenggai.intake import parse_lines

NOTICE = [
    "某局关于巡察整改情况的通报",
    "一、存在的问题及整改情况",
    "（一）学习贯彻 习近平新时代中国特色社会主义思想不够深入",
    "整改情况：开展专题学习。",
    "（二）财务管理 不规范，存在白条入账现象",
    "整改情况：已规范。",
]


def test_a_problem_title_with_a_space_is_kept_whole():
    document = parse_lines(NOTICE)
    assert [p.title for p in document.problems] == [
        "学习贯彻 习近平新时代中国特色社会主义思想不够深入",
        "财务管理 不规范，存在白条入账现象",
    ]


def test_a_slogan_heading_run_into_its_paragraph_ends_at_the_space():
    lines = [
        *NOTICE,
        "（三）查找问题根源，明确整改方向 结合巡察组的意见反馈，党委班子认真学习讨论。",
    ]
    document = parse_lines(lines)
    assert document.problems[-1].title == "查找问题根源，明确整改方向"
