"""The import pages as a new user found them, on a desktop and on a phone: long file names, the
preview's labels, its errors and what it shows of each measure."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from zhenggai.ledger.imports import start_import
from zhenggai.lib import samples
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

LONG_NAME = "IMG_20251015_123456789_HDR_notice_from_county_inspection_office_final_version"
NOTICE = "一、存在的问题\n（一）学习贯彻不深入\n整改措施：组织专题学习。\n".encode()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_file_name_wraps_on_the_progress_and_preview_pages(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    reading = start_import(
        world.round, SimpleUploadedFile(f"{LONG_NAME}.png", samples.png()), by=world.inspector
    )
    read = start_import(
        world.round, SimpleUploadedFile(f"{LONG_NAME}.txt", NOTICE), by=world.inspector
    )
    page = sign_in("inspector", width)
    for draft, heading in ((reading, "正在识别文件"), (read, "核对导入内容")):
        page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/{draft.pk}/")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator(".pagehead")).to_contain_text(LONG_NAME)
        assert fits(page), f"{heading} is wider than {width} px"
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/")
    expect(page.locator(".import-drafts").first).to_contain_text(LONG_NAME)
    assert fits(page)


DESCRIBED_BY_MISSING = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(
  (el) => el.getAttribute('aria-describedby').split(/\\s+/)).filter(
  (id) => !document.getElementById(id))"""


@pytest.mark.parametrize("width", [1280, 390])
def test_each_preview_field_has_a_label_and_its_help_exists(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    draft = start_import(world.round, SimpleUploadedFile("反馈.txt", NOTICE), by=world.inspector)
    page = sign_in("inspector", width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/{draft.pk}/")
    for name, label in (
        ("number", "序号"),
        ("title", "问题"),
        ("path", "所属方面"),
        ("description", "问题描述"),
        ("measures", "整改措施"),
        ("lead", "牵头科室"),
    ):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("name", f"form-0-{name}")
        shown = page.locator(f"label[for='id_form-0-{name}']")
        if width == 390:  # the table's header is hidden: each field shows its own label
            expect(shown).to_be_visible()
    shot(page, f"import_review_labels_{width}.png")
    assert page.evaluate(DESCRIBED_BY_MISSING) == []
    assert fits(page)


def _scan_of(lows: list[int]) -> list[dict]:
    """Pages as OCR leaves them on a draft, page n with lows[n - 1] doubtful lines."""
    return [
        {
            "number": n,
            "lines": [{"text": f"第{n}页第{i}行", "low": i < low} for i in range(4)],
        }
        for n, low in enumerate(lows, start=1)
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_pages_with_doubtful_lines_are_marked_and_reached_in_one_click(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    draft = start_import(world.round, SimpleUploadedFile("反馈.txt", NOTICE), by=world.inspector)
    draft.parsed["pages"] = _scan_of([0, 0, 2, 0, 1])
    draft.save()
    page = sign_in("inspector", width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/{draft.pk}/")
    jump = page.locator(".scan-jump")
    expect(jump.locator("a.has-low")).to_have_text(["第3页（2行待核）", "第5页（1行待核）"])
    expect(page.locator("#scan-page-1")).to_be_visible()
    jump.get_by_text("第3页（2行待核）").click()
    expect(page.locator("#scan-page-3")).to_be_visible()
    expect(page.locator("#scan-page-1")).to_be_hidden()
    expect(page.locator(".scan-at")).to_have_text("第 3 / 5 页（2行待核）")
    shot(page, f"import_review_scan_jump_{width}.png")
    assert fits(page)


LEAD = "特种设备安全监察科"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_refused_row_is_marked_beside_its_field_and_the_lead_is_not_cut(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    notice = "一、存在的问题\n（一）学习不深入\n（二）监管不到位\n整改措施：开展排查。\n"
    draft = start_import(
        world.round, SimpleUploadedFile("反馈.txt", notice.encode()), by=world.inspector
    )
    page = sign_in("inspector", width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/{draft.pk}/")
    page.fill("input[name='form-1-title']", "")
    page.fill("input[name='form-1-lead']", LEAD)
    page.click("button:has-text('确认导入台账')")
    row = page.locator("tr.has-error")
    expect(row).to_have_count(1)
    expect(row.locator("td.title .error")).to_have_text("请填写问题标题，或取消该行的“导入”。")
    expect(row.locator("td.title .error")).to_be_visible()
    expect(page.locator(".errors[role=alert]")).to_contain_text("第 2 个")
    assert not world.round.problems.exists()
    shot(page, f"import_review_refused_{width}.png")
    if width == 1280:  # the lead section's name shows whole
        lead = page.locator("input[name='form-1-lead']")
        assert lead.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert fits(page)
