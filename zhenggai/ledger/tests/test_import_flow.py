"""Upload a document into a round, check and correct its outline, confirm: one atomic import."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.demo.load import SEEDS
from zhenggai.ledger.models import ImportDraft, Problem

SEED = SEEDS / "000_d078411bcb7ae7e7.txt"


def upload(client, world, path=SEED, name=None):
    return client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile(name or path.name, path.read_bytes())},
    )


def rows_from(page_context):
    formset = page_context["formset"]
    total = str(formset.total_form_count())
    data = {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": total}
    for n, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "include":
                if value:
                    data[f"form-{n}-include"] = "on"
            else:
                data[f"form-{n}-{name}"] = value
    return data


def test_upload_check_correct_and_confirm(client, world):
    client.force_login(world.rect_office)
    response = upload(client, world)
    draft = ImportDraft.objects.get()
    assert response["Location"] == reverse("import_preview", args=[world.round.pk, draft.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "共识别出 <b>8</b> 个问题" in body and "思想不够重视" in body
    data = rows_from(page.context)
    data["form-0-title"] = "思想认识不到位"  # retitle
    data.pop("form-1-include")  # leave one out
    data["form-3-merge"] = "on"  # merge into the one above
    data["form-4-measures"] += "\n#创新环境营造不够\n设立创新券"  # split
    data["form-5-path"] = "整改落实方面 / 主动性"  # move to another level
    data["form-5-lead"] = "综合科"
    response = client.post(reverse("import_preview", args=[world.round.pk, draft.pk]), data)
    assert response.status_code == 302
    titles = list(world.round.problems.order_by("position").values_list("title", flat=True))
    assert titles == [
        "思想认识不到位",
        "推进不够到位",
        "优化创新环境方面",
        "创新环境营造不够",
        "问题整改主动性不强",
        "存在边改边犯现象",
        "反馈问题整改表面化",
    ]
    merged = world.round.problems.get(title="推进不够到位")
    assert "优化企业服务环境方面" in merged.description
    moved = world.round.problems.get(title="问题整改主动性不强")
    assert moved.path == ["整改落实方面", "主动性"]
    assert moved.measures.first().lead_section.name == "综合科"
    assert world.round.problems.get(title="创新环境营造不够").measures.get().text == "设立创新券"
    draft.refresh_from_db()
    assert draft.status == "imported" and world.round.documents.count() == 1


def test_the_same_file_again_is_flagged_and_needs_force(client, world):
    client.force_login(world.inspector)
    first = upload(client, world)
    page = client.get(first["Location"])
    client.post(first["Location"], rows_from(page.context))
    again = upload(client, world)
    page = client.get(again["Location"])
    assert "已于" in page.content.decode() and "导入过本轮次" in page.content.decode()
    refused = client.post(again["Location"], rows_from(page.context))
    assert refused.status_code == 400 and Problem.objects.count() == 8
    forced = client.post(again["Location"], {**rows_from(page.context), "force": "1"})
    assert forced.status_code == 302 and Problem.objects.count() == 16


def test_an_unreadable_upload_is_explained_in_chinese(client, world, tmp_path):
    import openpyxl

    client.force_login(world.inspector)
    book = openpyxl.Workbook()
    book.active.append(["采购单号", "金额"])
    sheet = tmp_path / "采购.xlsx"
    book.save(sheet)
    response = upload(client, world, sheet)
    assert response.status_code == 400
    assert "没有找到“序号、问题、整改措施”等表头" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_sections_cannot_import(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("import_upload", args=[world.round.pk])).status_code == 403


def test_a_long_outline_confirms_and_odd_rows_do_not_crash(client, world, tmp_path):
    lines = ["一、存在的问题"] + [
        f"（{n}）关于“在落实“1+1/N”制度中第{n}项不到位”问题的整改情况。" for n in range(1, 151)
    ]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    client.force_login(world.inspector)
    page = client.get(upload(client, world, path)["Location"])
    data = rows_from(page.context)
    data["form-0-source"] = ""  # a blank hidden field is not a crash
    data["form-2-merge"], data["form-2-lead"] = "on", "综合科"
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 302
    assert world.round.problems.count() == 149
    first = world.round.problems.order_by("position").first()
    assert first.path == ["存在的问题"] and "1+1/N" in first.title
    merged = world.round.problems.order_by("position")[1]
    assert "第3项" in merged.description


def test_a_failed_import_leaves_no_file(client, world, monkeypatch, settings):
    from pathlib import Path

    from zhenggai.ledger import imports

    client.force_login(world.inspector)
    page = client.get(upload(client, world)["Location"])

    def fail(*args, **kwargs):
        raise imports.Refused("失败", "failure")

    monkeypatch.setattr(imports, "_import_problem", fail)
    client.post(page.request["PATH_INFO"], rows_from(page.context))
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    kept = [p for p in root.rglob("*.bin")]
    assert kept == [] and not world.round.documents.exists()


def test_a_long_preview_is_paged_and_every_page_is_imported(client, world, settings):
    settings.IMPORT_PAGE_SIZE = 3
    client.force_login(world.rect_office)
    upload(client, world)
    draft = ImportDraft.objects.get()
    url = reverse("import_preview", args=[world.round.pk, draft.pk])
    first = client.get(url)
    assert "第 1 / 3 页" in first.content.decode() and len(first.context["formset"].forms) == 3
    data = rows_from(first.context)
    data["form-0-title"] = "第一页改过的标题"
    moved = client.post(url, {**data, "page": "1", "goto": "3"})
    assert moved.status_code == 302 and moved["Location"].endswith("?page=3")
    last = client.get(moved["Location"])
    assert len(last.context["formset"].forms) == 2  # 8 problems: 3 + 3 + 2
    data = rows_from(last.context)
    data["form-1-title"] = "最后一页改过的标题"
    done = client.post(url, {**data, "page": "3"})
    assert done.status_code == 302
    titles = list(world.round.problems.order_by("position").values_list("title", flat=True))
    assert len(titles) == 8
    assert titles[0] == "第一页改过的标题" and titles[-1] == "最后一页改过的标题"
    # The draft keeps every page as it was left (its page is now a record of the import).
    assert ImportDraft.objects.get().parsed["rows"][0]["title"] == "第一页改过的标题"


def test_an_import_holds_at_most_the_configured_number_of_problems(client, world, settings):
    settings.IMPORT_MAX_PROBLEMS = 5
    client.force_login(world.rect_office)
    response = upload(client, world)
    body = response.content.decode()
    assert response.status_code == 400 and "识别出 8 个问题，超过单次导入上限 5 个" in body
    assert not ImportDraft.objects.exists()
