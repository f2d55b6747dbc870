"""Every warning the parser can give has its Chinese wording, made from the same arguments."""

from string import Formatter

from zhenggai.intake.tests.test_warning import emitted_codes
from zhenggai.intake.warning import ENGLISH
from zhenggai.ledger.import_warnings import UNKNOWN_ZH, WARNINGS_ZH, warning_zh


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_every_code_the_parser_emits_has_a_chinese_template():
    assert emitted_codes() <= set(WARNINGS_ZH)
    assert set(WARNINGS_ZH) == set(ENGLISH)


def test_the_chinese_templates_use_the_arguments_the_english_ones_do():
    for code, chinese in WARNINGS_ZH.items():
        assert fields(chinese) <= fields(ENGLISH[code]), code


def test_a_warning_without_its_arguments_is_still_said():
    assert warning_zh({"code": "several_rounds", "args": {}}) == UNKNOWN_ZH
    assert warning_zh({"code": "traditional_chinese"}) == WARNINGS_ZH["traditional_chinese"]
