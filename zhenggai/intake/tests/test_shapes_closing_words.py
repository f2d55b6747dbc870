"""A feedback closes with a request for the rectification ("请…在…内报送整改情况", "巡察组要求…",
"要求…认真整改") and the inspecting body's signature ("县委第一巡察组" alone on a line): they end
the problems and are not the last problem's words. The same words inside a problem, or under a
problem that is not the last, are left as they are."""

from zhenggai.intake import parse_lines

OPENING = [
    "县委第一巡察组关于巡察县卫生健康局党组的反馈意见",
    "根据县委巡察工作统一部署，2025年3月10日至4月30日，县委第一巡察组对县卫生健康局党组进行了巡察。"
    "现将巡察情况反馈如下。",
    "一、落实全面从严治党责任方面",
    "（一）党组主体责任履行不到位。对下属医疗机构监督管理偏松偏软。",
    "（二）基层党建工作薄弱。",
    "个别医院党委作用发挥不充分。",
]


def last_text(lines: list[str]) -> str:
    return parse_lines(lines).problems[-1].text


def test_a_request_to_report_within_a_time_and_the_signature_end_the_problems():
    document = parse_lines(
        [
            *OPENING,
            "巡察组要求，县卫生健康局党组要在反馈后2个月内报送整改情况报告。",
            "县委第一巡察组",
            "2025年5月20日",
        ]
    )
    assert [p.title for p in document.problems] == ["党组主体责任履行不到位", "基层党建工作薄弱"]
    assert document.problems[-1].text == "个别医院党委作用发挥不充分。"


def test_a_polite_request_to_report_ends_the_problems():
    lines = [*OPENING, "请县卫生健康局党组在收到反馈意见后2个月内报送整改情况。"]
    assert last_text(lines) == "个别医院党委作用发挥不充分。"


def test_a_request_to_rectify_earnestly_and_a_provincial_team_signing_end_the_problems():
    lines = [
        *OPENING,
        "要求县卫生健康局党组对照反馈问题认真整改，整改情况按规定向社会公开。",
        "省委第三巡视组",
    ]
    assert last_text(lines) == "个别医院党委作用发挥不充分。"


def test_an_audit_bureau_signing_alone_ends_the_problems():
    lines = [*OPENING, "县审计局", "2025年5月20日"]
    assert last_text(lines) == "个别医院党委作用发挥不充分。"


def test_a_request_under_a_problem_that_is_not_the_last_is_its_words():
    lines = [
        *OPENING[:4],
        "请示报告制度执行不严，要求下属单位在每季度末前报送工作情况，执行不到位。",
        *OPENING[4:],
    ]
    document = parse_lines(lines)
    assert "要求下属单位在每季度末前报送工作情况" in document.problems[0].text


def test_a_sentence_that_names_the_inspecting_body_is_not_a_signature():
    lines = [*OPENING[:5], "对巡察组指出的问题整改不及时，向县委第一巡察组"]
    assert last_text(lines).endswith("向县委第一巡察组")
