"""The office's own feedback (反馈意见): its top-level headings may be the problems themselves,
not areas, and an area's paragraph may list its problems run in (一是…二是…)."""

from zhenggai.intake import parse_lines

# The shape of a district inspection group's feedback: the problems at the top level, each with
# its instances below, then what the group asks of the unit.
FEEDBACK = [
    "区委第二巡察组关于巡察区文化和旅游局党组的反馈意见",
    "根据区委统一部署，2023年3月1日至4月30日，区委第二巡察组对区文化和旅游局党组进行了巡察。"
    "巡察发现的主要问题如下：",
    "一、学习贯彻习近平新时代中国特色社会主义思想不够深入。",
    "1.中心组学习流于形式，2022年仅集体学习4次。",
    "2.学用结合不紧。",
    "二、落实全面从严治党主体责任有差距。",
    "党组研究党风廉政建设工作次数偏少。",
    "三、“三重一大”制度执行不严格。",
    "个别事项先办后议。",
    "四、整改意见",
    "（一）提高政治站位，切实抓好整改。",
]


def test_the_top_level_headings_are_the_problems():
    document = parse_lines(FEEDBACK)
    assert document.kind == "feedback"
    assert [(p.number, p.title, p.path) for p in document.problems] == [
        ("一", "学习贯彻习近平新时代中国特色社会主义思想不够深入", []),
        ("二", "落实全面从严治党主体责任有差距", []),
        ("三", "“三重一大”制度执行不严格", []),
    ]
    assert "feedback_top_level" in document.rules


def test_a_problems_instances_are_its_description_not_problems():
    first = parse_lines(FEEDBACK).problems[0]
    assert first.text == "1、中心组学习流于形式，2022年仅集体学习4次。\n2、学用结合不紧。"
    assert first.measures == []


def test_feedback_whose_top_level_are_areas_keeps_them_as_areas():
    lines = [
        "关于对某局党组巡察的反馈意见",
        "一、党的领导方面存在的问题",
        "（一）学习不深入。",
        "（二）议事不规范。",
        "二、党的建设方面存在的问题",
        "（一）支部活动不规范。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == ["学习不深入", "议事不规范", "支部活动不规范"]
    assert "feedback_top_level" not in document.rules


# A district inspection group's feedback as a news site gave it (gjjwjc.gov.cn): each area's
# paragraph lists its problems run in.
AREAS_RUN_IN = [
    "关于对区残联党组巡察的反馈意见",
    "一、巡察发现的主要问题",
    "（一）在党的领导方面。一是学习党的理论有差距；二是落实意识形态工作责任制不到位。",
    "（二）在全面从严治党方面。一是“主体责任”落实不到位；二是执行“八项规定”不坚决；"
    "三是廉政风险防控不到位。",
]


GROUP = "巡察发现的主要问题"


def test_an_areas_run_in_items_are_its_problems():
    document = parse_lines(AREAS_RUN_IN)
    assert [(p.number, p.title, p.path) for p in document.problems] == [
        ("一", "学习党的理论有差距", [GROUP, "党的领导"]),
        ("二", "落实意识形态工作责任制不到位", [GROUP, "党的领导"]),
        ("一", "“主体责任”落实不到位", [GROUP, "全面从严治党"]),
        ("二", "执行“八项规定”不坚决", [GROUP, "全面从严治党"]),
        ("三", "廉政风险防控不到位", [GROUP, "全面从严治党"]),
    ]
    assert "feedback_run_in_problems" in document.rules


def test_in_a_report_run_in_items_stay_measures():
    lines = ["关于巡察整改情况的报告", *AREAS_RUN_IN[1:]]
    document = parse_lines(lines)
    assert document.kind == "report"
    assert [p.title for p in document.problems] == ["党的领导", "全面从严治党"]


def test_feedback_whose_areas_state_a_fault_keeps_their_problems():
    # The usual shape of feedback whose areas are named by what is wrong, not by 方面.
    lines = [
        "市委第二巡察组关于对某局党组巡察情况的反馈意见",
        "一、党的领导弱化，贯彻落实上级决策部署不到位",
        "（一）学习贯彻习近平新时代中国特色社会主义思想不深入。",
        "（二）推动乡村振兴不力。",
        "二、全面从严治党主体责任落实不力",
        "（一）落实中央八项规定精神不严格。",
        "（二）违规发放津补贴。",
        "三、意见建议",
        "（一）提高政治站位。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == [
        "学习贯彻习近平新时代中国特色社会主义思想不深入",
        "推动乡村振兴不力",
        "落实中央八项规定精神不严格",
        "违规发放津补贴",
    ]
    assert "feedback_top_level" not in document.rules
