"""A title that says something is wrong is a problem (or an area of problems), even where it
names an audit (未开展经济责任审计) or uses the words of a section about the work (主体责任,
政治站位): only an audit item that states no fault, in an audit's report, is set aside as a
section whose problems are not listed, and only a title that states no fault is about the work."""

from zhenggai.intake import parse_lines

NOTICE = [
    "中共某县农业农村局党组关于县委第二巡察组巡察反馈意见整改情况的通报",
    "根据县委统一部署，2023年3月1日至4月30日，县委第二巡察组对县农业农村局党组进行了巡察。",
    "一、存在的问题及整改情况",
    "（一）党组履行全面从严治党主体责任不到位",
    "1.党组会议研究党风廉政建设不够。",
    "整改情况：每季度专题研究一次。",
    "2.未按规定开展内部审计。",
    "整改情况：已委托第三方完成2022年度内部审计。",
    "（二）政治站位不够高",
    "1.理论学习走过场。",
    "整改情况：制定学习计划。",
    "二、下一步工作打算",
    "持续巩固整改成果。",
]

FEEDBACK = [
    "县委第一巡察组关于对某镇党委巡察情况的反馈意见",
    "2023年5月8日至6月30日，县委第一巡察组对某镇党委进行了巡察。巡察发现2个方面4个问题。",
    "一、贯彻落实党的路线方针政策方面",
    "（一）乡村振兴政策落实不到位。部分项目进度滞后。",
    "（二）耕地保护责任落实不严。",
    "二、全面从严治党方面",
    "（一）财务管理混乱，白条入账。",
    "（二）“三资”管理不规范，未开展经济责任审计。",
    "三、意见建议",
    "（一）提高政治站位。",
]

AREAS = [
    "关于巡察整改进展情况的报告",
    "一、履行主体责任不到位",
    "（一）未按规定召开专题会议。",
    "整改措施：已召开。",
    "（二）对下属单位监督不力。",
    "整改措施：开展专项检查。",
    "二、政治责任扛得不牢",
    "（一）学习贯彻上级精神不及时。",
    "整改措施：建立第一议题制度。",
    "（二）审计整改不彻底。",
    "整改措施：逐项销号。",
]


def test_a_problem_whose_title_ends_in_审计_in_a_notice_is_kept():
    document = parse_lines(NOTICE)
    assert [p.title for p in document.problems] == [
        "党组会议研究党风廉政建设不够",
        "未按规定开展内部审计",
        "理论学习走过场",
    ]
    assert "audit_item_without_problems" not in [w.code for w in document.warnings]


def test_a_problem_of_feedback_that_ends_in_审计_is_kept():
    document = parse_lines(FEEDBACK)
    assert len(document.problems) == document.declared["problems"] == 4
    assert document.problems[-1].title == "“三资”管理不规范，未开展经济责任审计"


def test_an_audit_item_that_states_no_fault_outside_an_audit_report_is_a_problem():
    lines = [line.replace("未按规定开展内部审计", "财务收支内部审计") for line in NOTICE]
    document = parse_lines(lines)
    assert "财务收支内部审计" in [p.title for p in document.problems]


def test_areas_that_state_a_fault_in_the_words_of_the_work_hold_problems():
    document = parse_lines(AREAS)
    assert [(p.path, p.title) for p in document.problems] == [
        (["履行主体责任不到位"], "未按规定召开专题会议"),
        (["履行主体责任不到位"], "对下属单位监督不力"),
        (["政治责任扛得不牢"], "学习贯彻上级精神不及时"),
        (["政治责任扛得不牢"], "审计整改不彻底"),
    ]
    assert "only_work_sections" not in [w.code for w in document.warnings]


def test_an_area_named_政治站位不够高_beside_the_work_holds_problems():
    lines = [
        "某局关于巡察整改情况的报告",
        "一、加强组织领导，压实整改责任",
        "成立整改领导小组。",
        "二、政治站位不够高",
        "（一）理论学习走过场的问题。",
        "（二）党组会议研究不够的问题。",
        "三、下一步打算",
        "持续整改。",
    ]
    document = parse_lines(lines)
    assert [(p.path, p.title) for p in document.problems] == [
        (["政治站位不够高"], "理论学习走过场的问题"),
        (["政治站位不够高"], "党组会议研究不够的问题"),
    ]
    assert "work_sections_left_out" in document.rules


def test_a_work_section_that_says_不断_is_still_about_the_work():
    lines = [
        "某局关于巡察整改情况的报告",
        "一、压实主体责任，不断加强组织领导",
        "（一）成立领导小组。",
        "（二）召开专题会议。",
        "二、反馈问题整改落实情况",
        "（一）理论学习不深入。",
        "整改情况：制定学习计划。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == ["理论学习不深入"]


def test_an_area_that_states_a_fault_beside_areas_named_方面_holds_problems():
    lines = [
        "某局党组关于巡察整改情况的通报",
        "一、履行主体责任不到位",
        "（一）思想不够重视。",
        "整改情况：开展专题学习。",
        "（二）谋划不够深入。",
        "整改情况：制定工作方案。",
        "二、聚焦重点领域方面存在的问题及整改措施",
        "（一）企业服务不到位。",
        "整改情况：开展企业大走访。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == [
        "思想不够重视",
        "谋划不够深入",
        "企业服务不到位",
    ]
