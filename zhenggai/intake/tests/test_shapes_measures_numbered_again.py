"""A list of problems followed by a paragraph and a list of measures numbered again from 1
(a school's report on its assessment gaps): the second list is measures, not more problems."""

from zhenggai.intake import parse_lines

LINES = [
    "关于义务教育均衡发展存在问题整改报告",
    "学校组织各部门负责人对照达标要求进行了自查，发现以下问题：",
    "1、教室现有6个，共180瓦，光线不够充足；",
    "2、体育场地和设施设备正在建设筹备中，体育活动不能正常开展；",
    "3、旱厕蹲位少，卫生条件差；",
    "4、学校浴池淋浴设施少，设备简陋。",
    "针对检查中发现的以上问题，学校立即成立整改工作领导小组，采取如下措施：",
    "1、学校要求总务处立即加装灯管，保证2018年7月底完成整改；",
    "2、学校督促操场建设施工单位加快工程进度；",
    "3、学校要求总务处做好旧厕改造；",
    "4、学校要求总务处加紧进行浴池改造。",
]


def test_the_list_numbered_again_after_a_paragraph_is_not_more_problems():
    problems = parse_lines(LINES).problems
    assert [p.title for p in problems] == [
        "教室现有6个，共180瓦，光线不够充足",
        "体育场地和设施设备正在建设筹备中，体育活动不能正常开展",
        "旱厕蹲位少，卫生条件差",
        "学校浴池淋浴设施少，设备简陋",
    ]


def test_a_list_that_goes_on_under_new_areas_is_still_headings():
    lines = [
        "一、党的领导方面",
        "1.学习不深入。",
        "整改情况：制定学习计划。",
        "2.议事不规范。",
        "整改情况：修订议事规则。",
        "二、党的建设方面",
        "1.支部活动不规范。",
        "整改情况：规范支部活动。",
    ]
    assert [p.title for p in parse_lines(lines).problems] == [
        "学习不深入",
        "议事不规范",
        "支部活动不规范",
    ]


def test_a_list_numbered_again_after_a_paragraph_that_is_not_about_rectification_is_headings():
    lines = [
        "1.学习不深入。",
        "2.议事不规范。",
        "专项巡察反馈的问题如下：",
        "1.营商环境服务意识不强。",
        "2.政策落实不到位。",
    ]
    assert len(parse_lines(lines).problems) == 4
