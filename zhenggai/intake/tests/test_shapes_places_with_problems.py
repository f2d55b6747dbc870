"""A supervision notice (督查通报) groups its problems by place: the places are not problems,
the items under each are; a problem that enumerates its points inline keeps them."""

from zhenggai.intake import parse_lines

# A city civilisation office's list of problems found on inspection (创文 督查).
NOTICE = [
    "创文进行时丨27个问题清单曝光，要求限期整改",
    "8月30日，市创文办发布督查组实地督查中发现的创文工作相关问题。",
    "具体问题如下：",
    "1. 市科技馆",
    "（1）院内电动车未按指定区域停放；",
    "（2）灭火器过期未更换。",
    "问题整改责任单位：市科技馆 整改时限：3天",
    "2. 市第二人民医院",
    "（1）院内禁烟标识数量不达标；",
    "（2）宣传牌内容不规范。",
]


def test_the_problems_are_the_items_under_each_place():
    document = parse_lines(NOTICE)
    assert document.kind == "feedback"
    assert document.declared == {"problems": 27}
    assert [(p.title, p.path) for p in document.problems] == [
        ("院内电动车未按指定区域停放", ["市科技馆"]),
        ("灭火器过期未更换", ["市科技馆"]),
        ("院内禁烟标识数量不达标", ["市第二人民医院"]),
        ("宣传牌内容不规范", ["市第二人民医院"]),
    ]
    assert "feedback_top_level" not in document.rules


def test_a_problem_that_enumerates_its_points_inline_keeps_them_in_its_title():
    lines = [
        "市文明城市建设工作督查通报",
        "二、存在问题",
        "（一）鹿城镇（2个）",
        "1.丽景花园二期：(1)小区内车辆乱停乱放；(2)无15分钟生活圈提示牌。",
        "2.信义花园：小区垃圾桶未盖。",
    ]
    titles = [p.title for p in parse_lines(lines).problems]
    assert titles == [
        "丽景花园二期：(1)小区内车辆乱停乱放；(2)无15分钟生活圈提示牌",
        "信义花园：小区垃圾桶未盖",
    ]


def test_the_totals_of_an_inspection_notice():
    lines = [
        "市文明城市建设工作督查通报",
        "本次督查共计320个点位，共发现并通过实地督查云平台交办问题57个，截至10月10日整改问题28个，"
        "未整改问题29个。",
    ]
    assert parse_lines(lines).declared == {"problems": 57, "completed": 28}
