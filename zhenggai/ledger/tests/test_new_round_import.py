"""A round from a document: an inspection office uploads it without a round, checks the round
the preview proposes (and the problems, with their descriptions), and confirms: the round, a new
unit if need be, and the problems are set up at once. Importing into a round fills its empty
dates. The import pages name the formats they read."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.demo.load import SEEDS
from zhenggai.intake import parse_file
from zhenggai.ledger.models import Event, Problem
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound, NewRoundDraft
from zhenggai.supervision.milestones import milestones_for
from zhenggai.testing import grant, make_user

SEED = SEEDS / "001_92ab30c860bf8989.txt"  # names its inspecting body, period and feedback
DESCRIBED = SEEDS / "002_114e543c5f058e51.txt"  # each problem's heading goes on to describe it


def upload(client, path=SEED, name=None):
    return client.post(
        reverse("round_import_upload"),
        {"file": SimpleUploadedFile(name or path.name, path.read_bytes())},
    )


def posted_data(page):
    """What the preview's forms send back as shown: the round's fields and every row."""
    data = {}
    form = page.context["round_form"]
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[f"round-{name}"] = value.isoformat() if isinstance(value, date) else value
    formset = page.context["formset"]
    total = str(formset.total_form_count())
    data.update({"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": total})
    for n, row in enumerate(formset.forms):
        for name, value in row.initial.items():
            if name == "include":
                if value:
                    data[f"form-{n}-include"] = "on"
            else:
                data[f"form-{n}-{name}"] = value
    return data


def test_the_home_page_offers_it_to_the_inspection_office_only(client, world):
    client.force_login(world.inspector)
    body = client.get(reverse("home")).content.decode()
    assert reverse("round_import_upload") in body and "从文件新建轮次" in body
    client.force_login(world.rect_office)
    body = client.get(reverse("home")).content.decode()
    assert reverse("round_import_upload") not in body
    assert "巡察轮次由被巡察单位上级巡察机构的巡察办设立" in body
    assert client.get(reverse("round_import_upload")).status_code == 403
    assert upload(client).status_code == 403 and not NewRoundDraft.objects.exists()


def test_the_preview_proposes_the_round_the_document_describes(client, world):
    client.force_login(world.inspector)
    response = upload(client)
    draft = NewRoundDraft.objects.get()
    assert response["Location"] == reverse("round_import_preview", args=[draft.pk])
    page = client.get(response["Location"])
    initial = page.context["round_form"].initial
    assert initial["title"] == "中共大连金普新区科技和工业信息化局党组关于巡察整改情况的通报"
    assert initial["kind"] == "xuncha"
    assert initial["inspecting_body"] == "区委第一巡察组"
    assert initial["period_start"] == date(2022, 4, 26)
    assert initial["period_end"] == date(2022, 7, 15)
    assert initial["feedback_date"] == date(2022, 9, 14)
    # Not a unit this office has yet: a new one, under its office.
    assert initial["unit"] is None and initial["new_unit"] == "大连金普新区科技和工业信息化局"
    assert initial["office"] == world.office.pk
    body = page.content.decode()
    assert 'type="date"' in body and 'value="2022-09-14"' in body  # ISO, as browsers need
    assert "确认设立轮次并导入" in body


def test_confirming_sets_up_the_unit_the_round_and_its_problems_at_once(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    data = posted_data(page)
    data["round-title"] = "金普新区科工局巡察整改（核对）"
    response = client.post(page.request["PATH_INFO"], data)
    round = InspectionRound.objects.get(title="金普新区科工局巡察整改（核对）")
    assert response.status_code == 302
    assert response["Location"] == reverse("round_detail", args=[round.pk])
    assert round.unit.name == "大连金普新区科技和工业信息化局"
    assert round.unit.parent == world.office and round.unit.kind == Unit.Kind.UNIT
    assert (round.period_start, round.period_end) == (date(2022, 4, 26), date(2022, 7, 15))
    assert round.feedback_date == date(2022, 9, 14) and round.created_by == world.inspector
    assert round.inspecting_body == "区委第一巡察组"
    assert round.problems.count() == len(parse_file(SEED).problems)
    assert round.documents.get().original_name == SEED.name
    assert all(m.due_on for m in milestones_for(round))
    draft = NewRoundDraft.objects.get()
    assert draft.status == "imported" and draft.round == round
    detail = client.get(response["Location"]).content.decode()
    assert "2022-09-14" in detail
    assert "该单位还没有人员" in detail  # what the office must do next


def test_an_existing_unit_is_proposed_by_the_name_the_document_gives(client, world, tmp_path):
    path = tmp_path / "反馈.txt"
    path.write_text(
        "中共区科技局党组关于巡察整改情况的报告\n一、存在的问题\n（一）学习不深入。\n整改情况：建立制度。",
        encoding="utf-8",
    )
    client.force_login(world.inspector)
    page = client.get(upload(client, path)["Location"])
    initial = page.context["round_form"].initial
    assert initial["unit"] == world.unit.pk and initial["new_unit"] == ""
    assert initial["inspecting_body"] == "区委巡察办"  # not named: the office's own name
    client.post(page.request["PATH_INFO"], posted_data(page))
    round = InspectionRound.objects.filter(unit=world.unit).exclude(pk=world.round.pk).get()
    assert round.unit == world.unit and round.feedback_date is None
    assert Unit.objects.filter(name="区科技局").count() == 1


def test_a_refusal_leaves_no_round_no_unit_and_no_problems(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    data = posted_data(page)
    data["round-feedback_date"] = "2022-01-01"  # before the inspection: create_round refuses
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 400 and "反馈日期不能早于巡察期间" in response.content.decode()
    assert InspectionRound.objects.count() == 2  # the world's own
    assert not Unit.objects.filter(name="大连金普新区科技和工业信息化局").exists()
    assert Problem.objects.count() == 0
    assert NewRoundDraft.objects.get().status == "open"


def test_an_untitled_row_refuses_the_whole(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    data = posted_data(page)
    data["form-0-title"] = ""
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 200  # the form again, the row's title marked
    assert response.context["formset"].forms[0].errors["title"]
    assert InspectionRound.objects.count() == 2 and not Problem.objects.exists()


def test_the_unit_must_be_one_the_office_inspects(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    data = {**posted_data(page), "round-unit": world.outside_unit.pk, "round-new_unit": ""}
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 200 and "round-unit" in response.content.decode()
    assert (
        not InspectionRound.objects.filter(unit=world.outside_unit)
        .exclude(pk=world.outside_round.pk)
        .exists()
    )


def test_a_new_unit_goes_only_under_an_office_of_the_user(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    other_office = Unit.objects.get(name="市委巡察办")
    data = {**posted_data(page), "round-office": other_office.pk}
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 200  # not a choice of theirs
    assert not Unit.objects.filter(parent=other_office, name__contains="金普").exists()


def test_the_draft_is_its_uploaders(client, world):
    client.force_login(world.inspector)
    location = upload(client)["Location"]
    colleague = make_user("colleague")
    grant(colleague, world.office, "inspection_office")
    client.force_login(colleague)
    assert client.get(location).status_code == 404


def test_the_same_file_again_is_flagged_and_needs_force(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client)["Location"])
    client.post(page.request["PATH_INFO"], posted_data(page))
    again = client.get(upload(client)["Location"])
    assert "导入过轮次" in again.content.decode()
    refused = client.post(again.request["PATH_INFO"], posted_data(again))
    assert refused.status_code == 400 and InspectionRound.objects.count() == 3
    data = {**posted_data(again), "force": "1", "round-new_unit": "", "round-unit": ""}
    data["round-unit"] = InspectionRound.objects.latest("id").unit_id
    forced = client.post(again.request["PATH_INFO"], data)
    assert forced.status_code == 302 and InspectionRound.objects.count() == 4


def test_the_preview_shows_descriptions_apart_from_measures(client, world):
    client.force_login(world.inspector)
    page = client.get(upload(client, DESCRIBED)["Location"])
    second = page.context["formset"].forms[1].initial
    assert second["title"].startswith("学习传达党中央")
    assert second["description"].startswith("局党组未及时组织学习")
    assert "局党组未及时组织学习" not in second["measures"]
    body = page.content.decode()
    assert 'name="form-1-description"' in body and "局党组未及时组织学习" in body
    client.post(page.request["PATH_INFO"], posted_data(page))
    problem = Problem.objects.get(title=second["title"])
    assert problem.description.startswith("局党组未及时组织学习")
    assert not problem.measures.filter(text__contains="局党组未及时组织学习").exists()


def test_importing_into_a_round_without_dates_fills_them_and_says_so(client, world):
    round = world.round
    InspectionRound.objects.filter(pk=round.pk).update(feedback_date=None)
    client.force_login(world.rect_office)
    response = client.post(
        reverse("import_upload", args=[round.pk]),
        {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes())},
    )
    page = client.get(response["Location"])
    assert page.context["dates_to_fill"] == {
        "period_start": date(2022, 4, 26),
        "period_end": date(2022, 7, 15),
        "feedback_date": date(2022, 9, 14),
    }
    assert "确认导入后，按文件填写为" in page.content.decode()
    data = posted_data_rows(page)
    assert client.post(page.request["PATH_INFO"], data).status_code == 302
    round.refresh_from_db()
    assert round.feedback_date == date(2022, 9, 14) and round.period_start == date(2022, 4, 26)
    assert all(m.due_on for m in milestones_for(round))
    event = Event.objects.filter(object_type="inspectionround", action="changed").latest("id")
    assert "反馈日期" in event.changes and SEED.name in event.note


def test_a_round_with_its_dates_keeps_them(client, world):
    client.force_login(world.inspector)
    response = client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes())},
    )
    page = client.get(response["Location"])
    # The document's feedback (2022) is not the round's (2026): it speaks of another one.
    assert page.context["dates_to_fill"] == {}
    client.post(page.request["PATH_INFO"], posted_data_rows(page))
    world.round.refresh_from_db()
    assert world.round.feedback_date == date(2026, 9, 1) and world.round.period_start is None


def posted_data_rows(page):
    formset = page.context["formset"]
    total = str(formset.total_form_count())
    data = {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": total}
    for n, row in enumerate(formset.forms):
        for name, value in row.initial.items():
            if name == "include":
                data[f"form-{n}-include"] = "on"
            else:
                data[f"form-{n}-{name}"] = value
    return data


def test_the_upload_page_names_the_formats_it_reads(client, world):
    client.force_login(world.inspector)
    for url in (reverse("round_import_upload"), reverse("import_upload", args=[world.round.pk])):
        body = client.get(url).content.decode()
        assert 'accept=".txt,.docx,.doc,.wps,.pdf,.xlsx,.xls,.et,.jpg,.jpeg,.png"' in body
        for words in (
            "Word（.docx、.doc）",
            "WPS 文字（.wps）",
            "PDF（含扫描件）",
            "WPS 表格（.et）",
        ):
            assert words in body
        assert "另存为" not in body  # nothing to convert by hand any more
        assert "示例文件" in body and reverse("import_sample", args=["扫描的整改通报.png"]) in body


def test_legacy_files_and_photos_are_taken_to_read_in_the_background(client, world):
    from zhenggai.lib import samples

    client.force_login(world.inspector)
    for name, content in (
        ("反馈.doc", samples.compound_file("WordDocument")),
        ("反馈.wps", samples.compound_file("WordDocument")),  # WPS 文字 keeps Word's streams
        ("台账.xls", samples.compound_file("Workbook")),
        ("台账.et", samples.compound_file("Workbook")),
        ("照片.png", samples.png()),
    ):
        response = client.post(
            reverse("round_import_upload"), {"file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 302, name
        draft = NewRoundDraft.objects.get(original_name=name)
        assert draft.status == NewRoundDraft.Status.READING
        # Kept under its own extension, so the reader can say it was converted from WPS.
        assert draft.file.name.endswith(name[name.rindex(".") :])


def test_formats_the_readers_refuse_are_refused_with_what_to_do(client, world):
    from PIL import Image

    from zhenggai.lib import samples

    gif = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(gif, "GIF")
    client.force_login(world.inspector)
    for name, content, words in (
        ("反馈.wps", samples.compound_file("WpsContent"), "只能导入"),
        ("动图.gif", gif.getvalue(), "只能识别 JPG 或 PNG"),
        ("反馈.exe", b"MZ" + b"\0" * 500, "只能导入"),
    ):
        response = client.post(
            reverse("round_import_upload"), {"file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 400, name
        assert words in response.content.decode(), name
    assert not NewRoundDraft.objects.exists()


def test_turning_pages_keeps_the_rows_and_the_round_as_typed(client, world, settings):
    settings.IMPORT_PAGE_SIZE = 2
    client.force_login(world.inspector)
    url = upload(client)["Location"]
    first = client.get(url)
    pages = first.context["page_count"]
    assert pages > 1
    data = posted_data(first)
    data.update(
        {"round-title": "改过的轮次名称", "round-feedback_date": "", "form-0-title": "改过的问题"}
    )
    moved = client.post(url, {**data, "page": "1", "goto": str(pages)})
    assert moved.status_code == 302  # a page is turned even while the round is not complete
    last = client.get(moved["Location"])
    assert last.context["round_form"].initial["title"] == "改过的轮次名称"
    data = posted_data(last)
    data["round-feedback_date"] = "2026-09-01"
    assert client.post(url, {**data, "page": str(pages)}).status_code == 302
    round = InspectionRound.objects.get(title="改过的轮次名称")
    assert round.problems.order_by("position").first().title == "改过的问题"
    assert round.problems.count() == first.context["row_count"]
