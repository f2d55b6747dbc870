"""Problems given without headings of their own: a line labelled 问题描述/存在问题/整改任务 under
a section that only says 整改情况 (or in a text without headings), and the paragraphs of a
section that only groups problems (审计调查发现的主要问题)."""

from zhenggai.intake import parse_lines


def test_a_labelled_problem_under_a_section_titled_整改情况():
    # A town's report on one special-audit finding (a model-text site, names blanked).
    lines = [
        "XX镇关于大气污染防治专项审计问题整改情况的报告",
        "根据上级专项审计调查报告，涉及XX镇问题有1项，现将整改落实情况报告如下：",
        "一、高度重视",
        "XX镇高度重视本次专项审计发现问题的整改工作。",
        "二、整改情况",
        "问题描述：污水处理设施未启用。",
        "整改情况：未整改到位，预计X月XX日整改到位。",
        "整改措施：1、对用电线路进行全面改造；2、对蓄水池中的淤泥进行清理。",
        "三、下步计划",
        "（一）加大宣传力度。",
        "（二）全面推进蓝天保卫战三年行动计划。",
    ]
    document = parse_lines(lines)
    assert [(p.title, p.path) for p in document.problems] == [("污水处理设施未启用", ["整改情况"])]
    assert document.declared == {"problems": 1}
    assert not document.warnings
    assert {"problems_without_headings", "work_sections_left_out"} <= set(document.rules)


def test_a_problem_labelled_整改任务_in_a_text_without_headings():
    # A district's close-out notice of one task from an environmental inspection.
    lines = [
        "关于铁东区中央生态环境保护督察反馈问题整改任务（序号十）整改情况的公示情况说明",
        "整改任务：在一些具体整改任务中，一些地方仍然存在不作为、慢作为等突出问题。",
        "整改目标：压实责任落实，健全机制体制。",
        "整改完成情况：",
        "1、区委区政府及各乡镇不定期召开任务推进会议，压实责任。",
        "2、每月调度预警，强化督查督办。",
    ]
    problems = parse_lines(lines).problems
    assert [p.title for p in problems] == [
        "在一些具体整改任务中，一些地方仍然存在不作为、慢作为等突出问题"
    ]
    assert [m.text for m in problems[0].measures] == [
        "区委区政府及各乡镇不定期召开任务推进会议，压实责任。",
        "每月调度预警，强化督查督办。",
    ]


def test_the_paragraphs_of_a_section_of_found_problems_are_the_problems():
    # A city audit bureau's published result (2022): five sections, one of found problems.
    lines = [
        "安阳市审计局审计结果公告",
        "一、审计调查基本情况",
        "市审计局对某分局开展了专项审计调查。",
        "三、审计调查发现的主要问题",
        "生态环境机构监测监察执法垂直管理制度改革进展较慢，资产清查评估未完成。",
        "— 1 —",
        "四、审计处理情况和建议",
        "针对审计发现问题，市审计局建议推进改革政策措施落实到位。",
        "五、审计发现问题的整改情况",
        "目前，该分局积极配合改革工作，推动工作尽快完成。",
    ]
    document = parse_lines(lines)
    assert [(p.title, p.path) for p in document.problems] == [
        (
            "生态环境机构监测监察执法垂直管理制度改革进展较慢，资产清查评估未完成",
            ["审计调查发现的主要问题"],
        )
    ]


def test_a_problem_whose_own_words_are_labelled_stays_one_problem():
    lines = [
        "一、存在的问题及整改情况",
        "（一）关于“三重一大”制度执行不严格问题的整改情况",
        "存在问题：党组会议研究“三重一大”事项不规范。",
        "整改情况：修订完善《党组议事规则》。",
    ]
    problems = parse_lines(lines).problems
    assert [p.title for p in problems] == ["“三重一大”制度执行不严格"]
    assert problems[0].text == "党组会议研究“三重一大”事项不规范。"
