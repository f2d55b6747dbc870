"""A 催办单 in Chromium: issued from the problem page's 下发催办单 by the rectification office (the
form hides the level a 催办单 does not have), its office and number seen on the problem and in
督办事项, answered by the owner with an attachment, its print downloaded;
at 1280 px and on a phone (390 px)."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from zhenggai.ledger import services as ledger
from zhenggai.lib import samples
from zhenggai.supervision.models import Escalation
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reminder_order_is_issued_answered_with_a_file_and_printed(
    world, sign_in, live_server, tmp_path, width
):
    problem = world.problem("专项资金管理使用不规范，部分项目资金拨付滞后", approve=True)
    measure = world.measure(problem)
    ledger.update_measure(measure, by=world.leader, base_version=measure.version, owner=world.staff)
    number = f"区科技局整改办 催办单〔{timezone.localdate().year}〕第1号"

    page = sign_in("rect_office", width)
    page.goto(live_server.url + reverse("problem_detail", args=[problem.pk]) + "#escalations")
    page.locator("#escalations").get_by_role("link", name="下发催办单").click()
    expect(page.get_by_label("催办单")).to_be_checked()
    expect(page.locator("#id_level")).to_be_hidden()  # a 催办单 has no level
    page.get_by_label("督办单", exact=True).check()
    expect(page.locator("#id_level")).to_be_visible()
    page.get_by_label("催办单").check()
    expect(page.locator("#id_level")).to_be_hidden()
    page.select_option("select[name=measure]", str(measure.pk))
    page.fill("textarea[name=demand]", "该措施已逾期，请于3个工作日内书面报告进展和原因。")
    assert fits(page)
    shot(page, f"order-form-{width}.png")
    page.get_by_role("button", name="下发").click()
    expect(page.locator(".messages, .message").first).to_contain_text(f"{number}已下发")
    expect(page.locator("#escalations")).to_contain_text(number)
    page.goto(live_server.url + reverse("escalation_list") + "?kind=urge")
    expect(page.locator("table.sv-cards")).to_contain_text(number.split(" ")[1])
    expect(page.locator("table.sv-cards td.office").first).to_have_text("区科技局整改办")
    assert fits(page)
    shot(page, f"order-list-{width}.png")

    order = Escalation.objects.get()
    owner = sign_in("staff", width)
    owner.goto(live_server.url + reverse("problem_detail", args=[problem.pk]) + "#escalations")
    owner.locator("#escalations").get_by_role("link", name="答复").click()
    expect(owner.locator("h1")).to_contain_text(number)
    owner.fill("textarea[name=answer]", "已书面报告，资金已拨付到位。")
    reply = tmp_path / "书面答复.pdf"
    reply.write_bytes(samples.pdf())
    owner.set_input_files("input[name=files]", str(reply))
    assert fits(owner)
    shot(owner, f"order-answer-{width}.png")
    owner.get_by_role("button", name="提交答复").click()
    escalations = owner.locator("#escalations")
    expect(escalations).to_contain_text("书面答复.pdf")
    assert fits(owner)
    shot(owner, f"order-answered-{width}.png")
    with owner.expect_download() as attachment:
        escalations.get_by_role("link", name="书面答复.pdf").click()
    assert attachment.value.suggested_filename == "书面答复.pdf"
    with owner.expect_download() as printed:
        escalations.get_by_role("link", name="打印 Word").click()
    assert printed.value.suggested_filename.startswith(number.replace(" ", ""))
    document = Document(BytesIO(open(printed.value.path(), "rb").read()))
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert "附件：书面答复.pdf" in rows["答复情况"] and "督办级别" not in rows
    assert rows["催办单位"] == "区科技局整改办" and rows["被催办单位"] == "区科技局 办公室"
    order.refresh_from_db()
    assert order.status == Escalation.Status.ANSWERED
