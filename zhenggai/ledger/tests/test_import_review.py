"""What an import preview tells before the import: each measure's deadline, sections and
people as the document gave them, and the people the unit does not have."""

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.ledger.models import ImportDraft
from zhenggai.ledger.tests.test_import_flow import rows_from
from zhenggai.lib.names import person_name


def ledger_xlsx(path) -> SimpleUploadedFile:
    """A ledger whose first problem has two measures of different sections and people, one
    person of whom ("leader", "staff") the unit has, "张明" and "李华" it has not."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "问题", "整改措施", "牵头科室", "责任领导", "责任人", "完成时限"])
    sheet.append([1, "课后服务质量不高", "建立评估机制", "办公室", "leader", "张明", "2026-09-30"])
    sheet.append([None, None, "开展专项治理", "综合科", "leader", "李华", "2026-08-31"])
    sheet.append(
        [2, "校舍安全排查不到位", "开展校舍安全排查", "办公室", "王强", "staff", "立行立改"]
    )
    book.save(path)
    return SimpleUploadedFile("台账.xlsx", path.read_bytes())


@pytest.fixture
def preview(client, world, tmp_path):
    client.force_login(world.rect_office)
    client.post(
        reverse("import_upload", args=[world.round.pk]), {"file": ledger_xlsx(tmp_path / "t.xlsx")}
    )
    draft = ImportDraft.objects.get()
    return reverse("import_preview", args=[world.round.pk, draft.pk])


def test_the_preview_shows_each_measures_deadline_sections_and_people(client, preview):
    page = client.get(preview)
    body = page.content.decode()
    facts = body.split('class="measure-facts')
    assert len(facts) == 3  # one list a row
    first, second = facts[1].split("</ul>")[0], facts[2].split("</ul>")[0]
    assert "措施1" in first and "时限 2026-09-30" in first and "牵头 办公室" in first
    assert "措施2" in first and "时限 2026-08-31" in first and "牵头 综合科" in first
    assert "责任领导 leader" in first and "责任人 张明" in first and "（未找到）" in first
    assert "时限 立行立改" in second and "责任人 staff" in second
    assert first.count("（未找到）") == 2 and second.count("（未找到）") == 1  # 张明, 李华; 王强


def test_the_preview_says_which_people_are_not_found_and_they_stay_empty(client, world, preview):
    page = client.get(preview)
    body = page.content.decode()
    assert "文件中的责任人“张明”“李华”在本单位人员中未找到（或重名），导入后需手工指定。" in body
    assert "文件中的责任领导“王强”在本单位人员中未找到" in body
    client.post(preview, rows_from(page.context))
    first = world.round.problems.get(title="课后服务质量不高")
    measures = list(first.measures.order_by("position"))
    assert [m.lead_section.name for m in measures] == ["办公室", "综合科"]
    assert [m.lead_leader for m in measures] == [world.leader, world.leader]
    assert [m.owner for m in measures] == [None, None]
    school = world.round.problems.get(title="校舍安全排查不到位").measures.get()
    assert school.owner == world.staff and school.lead_leader is None


def test_a_changed_measure_line_is_shown_without_the_documents_facts(client, preview):
    page = client.get(preview)
    data = rows_from(page.context)
    data["form-0-measures"] = "建立评估机制\n另写的一条措施"
    data["goto"] = "1"
    client.post(preview, data)
    body = client.get(preview).content.decode()
    first = body.split('class="measure-facts')[1].split("</ul>")[0]
    assert "时限 2026-09-30" in first and "李华" not in first and "2026-08-31" not in first
    assert "<b>措施2</b><span>牵头 办公室</span></li>" in first  # the row's 牵头科室 only
    assert "“李华”" not in body  # the line that named him is gone: nobody to warn about


def test_discarding_a_draft_asks_first(client, world, preview):
    draft = ImportDraft.objects.get()
    discard = reverse("import_discard", args=[world.round.pk, draft.pk])
    assert f'href="{discard}"' in client.get(preview).content.decode()  # a link, not a form
    asked = client.get(discard)
    body = asked.content.decode()
    assert asked.status_code == 200 and "放弃导入？" in body and 'name="confirm" value="1"' in body
    assert client.post(discard).status_code == 200  # posted without confirming: asked again
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.OPEN and draft.file.storage.exists(draft.file.name)
    response = client.post(discard, {"confirm": "1"})
    assert response["Location"] == reverse("import_upload", args=[world.round.pk])
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.DISCARDED
    assert client.get(discard)["Location"] == preview  # handled: nothing left to ask


def notice_of(org: str) -> SimpleUploadedFile:
    text = (
        f"{org}关于巡察整改情况的通报\n"
        "县委第三巡察组于2025年4月8日至5月30日对我局开展巡察，2025年7月10日反馈意见。\n"
        "一、存在的问题\n（一）学习贯彻不深入\n整改措施：组织专题学习。\n"
    )
    return SimpleUploadedFile("通报.txt", text.encode())


@pytest.mark.parametrize(
    ("org", "warned"),
    [
        ("中共青山县市场监督管理局党组", True),
        ("中共区科技局党组", False),
        ("区科技局机关党委", False),
    ],
)
def test_a_document_of_another_unit_is_flagged_before_its_dates_are_offered(
    client, world, org, warned
):
    type(world.round).objects.filter(pk=world.round.pk).update(feedback_date=None)
    client.force_login(world.rect_office)
    response = client.post(
        reverse("import_upload", args=[world.round.pk]), {"file": notice_of(org)}
    )
    body = client.get(response["Location"]).content.decode()
    warning = f"文件署名单位为“{org}”，与本轮次的被巡察单位“区科技局”不一致，请确认是否导错轮次。"
    assert (warning in body) == warned
    assert "巡察开始 <b>2025-04-08</b>" in body  # the round's empty dates, offered
    if warned:
        assert body.index(warning) < body.index("巡察开始 <b>2025-04-08</b>")
        assert "如确认导入本轮次：本轮次尚未填写" in body


def test_an_imported_draft_reads_as_a_record(client, world, preview):
    client.post(preview, rows_from(client.get(preview).context))
    body = client.get(preview).content.decode()
    assert "已导入的文件" in body and "共导入 <b>2</b> 个问题" in body
    assert "请核对" not in body and "仍然导入" not in body and "确认导入" not in body
    assert f'href="{reverse("ledger")}?round={world.round.pk}"' in body
    document = world.round.documents.get()
    assert document.uploaded_at.strftime("%Y-%m") in body
    assert f"由 <b>{person_name(world.rect_office)}</b>" in body  # named as everywhere else


def test_a_discarded_draft_reads_as_a_record(client, world, preview):
    draft = ImportDraft.objects.get()
    client.post(reverse("import_discard", args=[world.round.pk, draft.pk]), {"confirm": "1"})
    body = client.get(preview).content.decode()
    assert "已放弃的导入" in body and "确认导入" not in body and "form-0-title" not in body
