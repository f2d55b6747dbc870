"""No page, form, download or search result of one unit is reachable by a user of another.

Every URL the project defines has a case here; `test_the_matrix_covers_every_url` fails when a
new URL is added without one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhenggai.ledger import services
from zhenggai.lib import samples
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import attach_document

PDF = samples.pdf()

# URLs anyone may open, and the admin (guarded by Django's own staff check).
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "public_notices",
    "public_notice",
    "public_opinion_track",
    # Single sign-on's start and return (zhenggai.accounts.oidc): anyone, 404 while it is off.
    "oidc_authentication_init",
    "oidc_authentication_callback",
    # The first-run page (zhenggai.orgs.directory_urls): anyone, only while no user exists (404).
    "setup",
}
LISTS = {
    "home",
    "ledger",
    "my_tasks",
    "change_requests",
    "dashboard",
    "escalation_list",
    "notification_list",
    "reminder_settings",
    "ledger_xlsx",
    "api_tokens",
    "import_sample",  # the demo's sample documents: no unit's data
    "ledger_lists_xlsx",  # the three lists of the ledger's filtered view: what the user sees
}
# Forms of the user's own that touch no unit's data: shown (or done) for those who may, else 403.
OWN_FORMS = {
    "round_import_upload",
    "push_keys",
    # One's own two-factor sign-in (zhenggai.accounts.two_factor_urls).
    "account_security",
    "two_factor_verify",
    "two_factor_enrol",
    "two_factor_regenerate",
    "two_factor_off",
}


@pytest.fixture
def unit_a(world):
    """Objects of unit A, the unit the outsider must never reach."""
    problem = world.problem("甲单位的机密问题", approve=True)
    measure = world.measure(problem)
    report = services.report_progress(
        problem,
        by=world.staff,
        text="甲单位进展",
        files=[SimpleUploadedFile("甲.pdf", PDF)],
    )
    services.update_measure(
        measure,
        by=world.rect_office,
        base_version=measure.version,
        deadline="2031-01-01",
        reason="甲单位延期",
    )
    document = attach_document(
        world.round, SimpleUploadedFile("反馈意见.pdf", PDF), by=world.inspector
    )
    from zhenggai.ledger.imports import start_import

    draft = start_import(
        world.round,
        SimpleUploadedFile("反馈.txt", "一、存在的问题\n（一）甲单位机密问题".encode()),
        by=world.inspector,
    )
    from zhenggai.ledger.imports import start_new_round_import

    new_round_draft = start_new_round_import(
        SimpleUploadedFile("新轮次.txt", "一、存在的问题\n（一）甲单位机密问题".encode()),
        by=world.inspector,
    )
    from datetime import date

    from zhenggai.supervision.models import Notification, ReminderRun
    from zhenggai.supervision.services import issue_escalation

    escalation = issue_escalation(
        problem, by=world.rect_office, level=3, demand="甲单位挂牌督办", due_on=date(2031, 1, 1)
    )
    Notification.objects.create(
        unit=world.unit,
        run=ReminderRun.objects.create(run_date=date(2026, 11, 23)),
        recipient=world.staff,
        kind="email",
        key="matrix",
        subject="甲单位的机密问题",
        body="甲单位的机密问题",
    )
    from zhenggai.public.services import send_opinion
    from zhenggai.reports.models import default_notice
    from zhenggai.reports.services import publish_notice, save_notice

    notice = save_notice(default_notice(world.round), by=world.rect_office)
    notice = publish_notice(notice, by=world.leader)
    opinion = send_opinion(notice, text="甲单位的意见", sender="203.0.113.1")
    flag = services.flag_problem(problem, by=world.discipline, note="甲单位监督意见")
    from zhenggai.api.tokens import create_token

    token, _ = create_token(world.leader, name="甲单位的令牌", scope="write", days=30)
    from zhenggai.api.push_keys import create_push_key
    from zhenggai.evaluations.models import RatingPoint

    point = RatingPoint.objects.create(
        unit=world.unit, kind="window", name="甲单位窗口", mode="on_site"
    )
    push_key, _ = create_push_key(world.office, by=world.evaluator, name="甲评价器", points=[point])
    from zhenggai.ledger import progress_import
    from zhenggai.ledger.tests.test_progress_import import download, fill, key

    sheet = fill(download(world, world.staff), {key(measure): {"新建制度（项）": 1}})
    progress = progress_import.start_progress_import(
        world.round, SimpleUploadedFile("甲单位进度.xlsx", sheet), by=world.staff
    )
    order = answered_with_a_file(problem, world)
    from zhenggai.orgs.directory import preview_directory_import
    from zhenggai.orgs.tests.directory_helpers import county, upload

    directory_import = preview_directory_import(upload(county()), by=world.admin)
    return {
        "directory_import": directory_import.pk,
        "progress_import": progress.pk,
        "attachment": order.attachments.get().pk,
        "token": token.pk,
        "push_key": push_key.pk,
        "flag": flag.pk,
        "opinion": opinion.pk,
        "escalation": escalation.pk,
        "draft": draft.pk,
        "new_round_draft": new_round_draft.pk,
        "round": world.round.pk,
        "problem": problem.pk,
        "measure": measure.pk,
        "evidence": report.evidence.get().pk,
        "document": document.pk,
        "request": problem.change_requests.get().pk,
        "unit": world.unit.pk,
    }


def answered_with_a_file(problem, world):
    """An order of the inspection office on unit A's problem, answered by its rectification
    office with a file (the answer's attachment to reach)."""
    from datetime import date

    from zhenggai.supervision.services import answer_escalation, issue_escalation

    order = issue_escalation(
        problem, by=world.inspector, level=1, demand="甲单位督办", due_on=date(2031, 1, 1)
    )
    upload = SimpleUploadedFile("甲单位答复.pdf", PDF)
    return answer_escalation(order, by=world.rect_office, answer="甲单位答复", files=[upload])


def cases(ids):
    """name → (method, url, data) touching unit A's objects."""
    r, p, m = ids["round"], ids["problem"], ids["measure"]
    return {
        "round_create": (
            "post",
            reverse("round_create"),
            {
                "kind": "xuncha",
                "title": "x",
                "inspecting_body": "x",
                "unit": ids["unit"],
                "long_term_report_period": "monthly",
            },
        ),
        "round_detail": ("get", reverse("round_detail", args=[r]), None),
        "round_edit": ("post", reverse("round_edit", args=[r]), {"title": "改"}),
        "document_upload": ("post", reverse("document_upload", args=[r]), {}),
        "document_download": ("get", reverse("document_download", args=[r, ids["document"]]), None),
        "problem_create": ("post", reverse("problem_create", args=[r]), {"title": "混入"}),
        "import_upload": (
            "post",
            reverse("import_upload", args=[r]),
            {"file": SimpleUploadedFile("f.txt", "一、问题\n（一）混入".encode())},
        ),
        "import_preview": ("get", reverse("import_preview", args=[r, ids["draft"]]), None),
        "import_progress": ("get", reverse("import_progress", args=[r, ids["draft"]]), None),
        "import_page_image": (
            "get",
            reverse("import_page_image", args=[r, ids["draft"], 1]),
            None,
        ),
        "import_discard": ("post", reverse("import_discard", args=[r, ids["draft"]]), {}),
        "import_sample": ("get", reverse("import_sample", args=["扫描的整改通报.png"]), None),
        # A new round from a document: the upload touches no unit's data (an inspection office
        # of another unit gets a draft of its own, anyone else 403); the draft is its uploader's.
        "round_import_upload": (
            "post",
            reverse("round_import_upload"),
            {"file": SimpleUploadedFile("f.txt", "一、问题\n（一）混入".encode())},
        ),
        "round_import_preview": (
            "post",
            reverse("round_import_preview", args=[ids["new_round_draft"]]),
            {
                "round-title": "混入",
                "round-kind": "xuncha",
                "round-inspecting_body": "x",
                "round-unit": ids["unit"],
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-include": "on",
                "form-0-source": "0",
                "form-0-title": "混入",
            },
        ),
        "round_import_progress": (
            "get",
            reverse("round_import_progress", args=[ids["new_round_draft"]]),
            None,
        ),
        "round_import_page_image": (
            "get",
            reverse("round_import_page_image", args=[ids["new_round_draft"], 1]),
            None,
        ),
        "round_import_discard": (
            "post",
            reverse("round_import_discard", args=[ids["new_round_draft"]]),
            {},
        ),
        "ledger_bulk": (
            "post",
            reverse("ledger_bulk"),
            {"action": "deadline", "problems": [p], "deadline": "2031-01-01", "reason": "x"},
        ),
        "problem_detail": ("get", reverse("problem_detail", args=[p]), None),
        "problem_edit": ("post", reverse("problem_edit", args=[p]), {"title": "改"}),
        "problem_transition": (
            "post",
            reverse("problem_transition", args=[p, "withdraw"]),
            {"note": "x"},
        ),
        "measure_create": ("post", reverse("measure_create", args=[p]), {"text": "x"}),
        "report_create": ("post", reverse("report_create", args=[p]), {"text": "x"}),
        "flag_create": ("post", reverse("flag_create", args=[p]), {"note": "x"}),
        "flag_answer": ("post", reverse("flag_answer", args=[ids["flag"]]), {"answer": "x"}),
        "flag_close": ("post", reverse("flag_close", args=[ids["flag"]]), {"note": "x"}),
        "flag_send_back": ("post", reverse("flag_send_back", args=[ids["flag"]]), {"note": "x"}),
        "measure_edit": ("post", reverse("measure_edit", args=[m]), {"text": "x"}),
        "measure_withdraw": ("post", reverse("measure_withdraw", args=[m]), {"note": "x"}),
        "evidence_download": ("get", reverse("evidence_download", args=[ids["evidence"]]), None),
        "change_request_decide": (
            "post",
            reverse("change_request_decide", args=[ids["request"]]),
            {"approve": "1"},
        ),
        "escalation_create": (
            "post",
            reverse("escalation_create", args=[p]),
            {"level": "1", "demand": "x", "due_on": "2031-01-01"},
        ),
        "escalation_answer": (
            "post",
            reverse("escalation_answer", args=[ids["escalation"]]),
            {"answer": "x"},
        ),
        "escalation_decide": (
            "post",
            reverse("escalation_decide", args=[ids["escalation"]]),
            {"accept": "1"},
        ),
        "milestone_edit": (
            "post",
            reverse("milestone_edit", args=[r, "report"]),
            {"done_on": "2026-11-01"},
        ),
        "dashboard": ("get", reverse("dashboard") + f"?unit={ids['unit']}&round={r}", None),
        "escalation_list": ("get", reverse("escalation_list"), None),
        "notification_list": ("get", reverse("notification_list"), None),
        "reminder_settings": ("get", reverse("reminder_settings"), None),
        "home": ("get", reverse("home"), None),
        "round_ledger_xlsx": ("get", reverse("round_ledger_xlsx", args=[r]), None),
        "ledger_xlsx": ("get", reverse("ledger_xlsx") + f"?round={r}", None),
        "notice_edit": (
            "post",
            reverse("notice_edit", args=[r]),
            {"issuer": "改", "subject": "改"},
        ),
        "notice_download": ("get", reverse("notice_download", args=[r, "notice.docx"]), None),
        "notice_publish": ("post", reverse("notice_publish", args=[r]), {}),
        "notice_unpublish": ("post", reverse("notice_unpublish", args=[r]), {"reason": "x"}),
        "template_download": ("get", reverse("template_download", args=[r, "notice"]), None),
        "template_upload": (
            "post",
            reverse("template_upload", args=[r, "notice"]),
            {"file": SimpleUploadedFile("t.docx", b"PK")},
        ),
        "template_reset": ("post", reverse("template_reset", args=[r, "notice"]), {}),
        "opinion_list": ("get", reverse("opinion_list", args=[r]), None),
        "opinion_triage": (
            "post",
            reverse("opinion_triage", args=[ids["opinion"]]),
            {"status": "dismissed", "note": "x"},
        ),
        "problem_disclosure": (
            "post",
            reverse("problem_disclosure", args=[p]),
            {"disclose": "0", "reason": "x"},
        ),
        "ledger": ("get", reverse("ledger") + "?q=机密", None),
        "my_tasks": ("get", reverse("my_tasks"), None),
        "change_requests": ("get", reverse("change_requests"), None),
        "api_tokens": ("get", reverse("api_tokens"), None),
        "api_token_revoke": ("post", reverse("api_token_revoke", args=[ids["token"]]), {}),
        "push_keys": ("get", reverse("push_keys"), None),
        "push_key_revoke": ("post", reverse("push_key_revoke", args=[ids["push_key"]]), {}),
        "account_security": ("get", reverse("account_security"), None),
        "two_factor_verify": ("post", reverse("two_factor_verify"), {"code": "000000"}),
        "two_factor_enrol": ("post", reverse("two_factor_enrol"), {"code": "000000"}),
        "two_factor_regenerate": (
            "post",
            reverse("two_factor_regenerate"),
            {"regenerate-code": "000000"},
        ),
        "two_factor_off": ("post", reverse("two_factor_off"), {"off-code": "000000"}),
        # The directory (通讯录): system administrators only (403; an import record 404).
        "directory_home": (
            "post",
            reverse("directory_home"),
            {"file": SimpleUploadedFile("通讯录.xlsx", b"PK")},
        ),
        "directory_template": ("get", reverse("directory_template"), None),
        "directory_export": ("get", reverse("directory_export"), None),
        "directory_preview": (
            "get",
            reverse("directory_preview", args=[ids["directory_import"]]),
            None,
        ),
        "directory_confirm": (
            "post",
            reverse("directory_confirm", args=[ids["directory_import"]]),
            {},
        ),
        "directory_discard": (
            "post",
            reverse("directory_discard", args=[ids["directory_import"]]),
            {},
        ),
        # The papers (issue 17): the plan is a notice_download name (plan.docx), covered above.
        "round_lists_xlsx": ("get", reverse("round_lists_xlsx", args=[r]), None),
        "ledger_lists_xlsx": ("get", reverse("ledger_lists_xlsx") + f"?round={r}", None),
        "problem_closeout_docx": ("get", reverse("problem_closeout_docx", args=[p]), None),
        "problem_closeout_pdf": ("get", reverse("problem_closeout_pdf", args=[p]), None),
        "round_closeout_docx": ("get", reverse("round_closeout_docx", args=[r]), None),
        "round_closeout_pdf": ("get", reverse("round_closeout_pdf", args=[r]), None),
        "order_docx": ("get", reverse("order_docx", args=[ids["escalation"]]), None),
        "order_pdf": ("get", reverse("order_pdf", args=[ids["escalation"]]), None),
        "order_attachment": ("get", reverse("order_attachment", args=[ids["attachment"]]), None),
        "dispatch_sheet": ("get", reverse("dispatch_sheet") + f"?unit={ids['unit']}", None),
        "dispatch_xlsx": ("get", reverse("dispatch_xlsx") + f"?unit={ids['unit']}", None),
        "dispatch_docx": ("get", reverse("dispatch_docx") + f"?round={r}", None),
        "progress_sheet_download": ("get", reverse("progress_sheet_download", args=[r]), None),
        "progress_import_list": ("get", reverse("progress_import_list", args=[r]), None),
        "progress_import_upload": ("post", reverse("progress_import_upload", args=[r]), {}),
        "progress_import_detail": (
            "get",
            reverse("progress_import_detail", args=[ids["progress_import"]]),
            None,
        ),
        "progress_import_status": (
            "get",
            reverse("progress_import_status", args=[ids["progress_import"]]),
            None,
        ),
        "progress_import_confirm": (
            "post",
            reverse("progress_import_confirm", args=[ids["progress_import"]]),
            {},
        ),
        "progress_import_discard": (
            "post",
            reverse("progress_import_discard", args=[ids["progress_import"]]),
            {},
        ),
    }


FAKE_IDS = [
    "round",
    "problem",
    "measure",
    "evidence",
    "document",
    "request",
    "unit",
    "draft",
    "new_round_draft",
    "escalation",
    "opinion",
    "flag",
    "token",
    "push_key",
    "progress_import",
    "attachment",
    "directory_import",
]


# The evaluation and assessment pages have a matrix of their own (tests/test_access_matrix.py
# of each app); the API is swept operation by operation (api/tests/test_authorization_sweep.py).
OWN_MATRIX = {"zhenggai.evaluations.urls", "zhenggai.assessments.urls", "zhenggai.api.urls"}


def url_names(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            urlconf = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            if entry.namespace == "admin" or urlconf in OWN_MATRIX:
                continue
            yield from url_names(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry.name


def test_the_matrix_covers_every_url(world):
    fake = dict.fromkeys(FAKE_IDS, 1)
    assert set(url_names()) == set(cases(fake)) | PUBLIC


@pytest.mark.parametrize(
    "name",
    sorted(
        cases(
            dict.fromkeys(
                FAKE_IDS,
                1,
            )
        )
    ),
)
@pytest.mark.parametrize("who", ["outsider", "outside_leader"])
def test_a_user_of_another_unit_reaches_nothing(client, world, unit_a, name, who):
    client.force_login(getattr(world, who))
    method, url, data = cases(unit_a)[name]
    response = getattr(client, method)(url, data or {})
    body = _text_of(response)
    if name in OWN_FORMS:
        assert response.status_code in (200, 302, 403), f"{name} answered {response.status_code}"
        assert "甲单位" not in body and "区科技局" not in body
    elif name in LISTS:
        assert response.status_code == 200
        secrets = (
            "甲单位的机密问题",
            "区科技局巡察整改",
            "甲单位进展",
            "甲单位延期",
            "甲单位挂牌督办",
            "甲单位监督意见",
        )
        for secret in secrets:
            assert secret not in body, f"{name} shows unit A's data to {who}"
    else:
        assert response.status_code in (403, 404), f"{name} answered {response.status_code}"
    assert world.round.problems.filter(title="混入").count() == 0
    assert not InspectionRound.objects.filter(title="混入").exists()
    from zhenggai.ledger.models import Problem

    assert Problem.objects.get(pk=unit_a["problem"]).state == "in_progress"
    assert Problem.objects.get(pk=unit_a["problem"]).disclose
    from zhenggai.public.models import Opinion
    from zhenggai.reports.models import Notice

    assert Notice.objects.get(round=world.round).state == "published"
    assert Opinion.objects.get(pk=unit_a["opinion"]).status == "new"
    from zhenggai.ledger.models import Flag

    assert Flag.objects.get(pk=unit_a["flag"]).status == "open"
    from zhenggai.ledger.models import ImportDraft
    from zhenggai.rounds.models import NewRoundDraft

    assert ImportDraft.objects.get(pk=unit_a["draft"]).status == "open"
    from zhenggai.ledger.models import ProgressImport

    assert ProgressImport.objects.get(pk=unit_a["progress_import"]).status == "preview"
    assert NewRoundDraft.objects.get(pk=unit_a["new_round_draft"]).status == "open"
    from zhenggai.orgs.models import DirectoryImport

    assert DirectoryImport.objects.get(pk=unit_a["directory_import"]).status == "preview"
    assert DirectoryImport.objects.count() == 1


def _text_of(response) -> str:
    """A page's text, or the cells of a spreadsheet download."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from io import BytesIO

        import openpyxl

        sheet = openpyxl.load_workbook(BytesIO(body)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    return body.decode(errors="replace")


@pytest.mark.parametrize(
    "name",
    [
        "round_detail",
        "document_download",
        "problem_detail",
        "evidence_download",
        "ledger",
        "home",
        "dashboard",
    ],
)
def test_the_units_own_people_do_reach_them(client, world, unit_a, name):
    """The positive control: the same requests succeed for a user of unit A."""
    client.force_login(world.staff)
    method, url, data = cases(unit_a)[name]
    response = client.get(url)
    assert response.status_code == 200
    if name in ("ledger", "home", "dashboard"):
        assert "区科技局" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, world, unit_a):
    for name, (method, url, data) in cases(unit_a).items():
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302 and "/login/" in response["Location"], name


DRAFT_URLS = ["import_preview", "import_progress", "import_page_image", "import_discard"]


@pytest.mark.parametrize("name", DRAFT_URLS)
@pytest.mark.parametrize("who", ["staff", "other_staff", "leader", "discipline"])
def test_a_rounds_drafts_answer_404_to_its_people_who_may_not_import(
    client, world, unit_a, name, who
):
    """A section's staff (科室) or the discipline inspector (纪检) sees the round but may not
    import into it: its drafts answer as a missing draft does, so their ids cannot be counted."""
    client.force_login(getattr(world, who))
    method, url, data = cases(unit_a)[name]
    assert getattr(client, method)(url, data or {}).status_code == 404
    missing = cases({**unit_a, "draft": unit_a["draft"] + 1000})[name]
    assert getattr(client, method)(missing[1], missing[2] or {}).status_code == 404
    from zhenggai.ledger.models import ImportDraft

    assert ImportDraft.objects.get(pk=unit_a["draft"]).status == "open"
    from zhenggai.ledger.models import ProgressImport

    assert ProgressImport.objects.get(pk=unit_a["progress_import"]).status == "preview"


@pytest.mark.parametrize("name", ["import_preview", "import_progress"])
def test_a_rounds_drafts_open_for_those_who_may_import(client, world, unit_a, name):
    client.force_login(world.rect_office)
    method, url, data = cases(unit_a)[name]
    assert getattr(client, method)(url, data or {}).status_code == 200


@pytest.mark.parametrize("name", [n.replace("import_", "round_import_") for n in DRAFT_URLS])
def test_a_new_round_draft_answers_404_once_its_uploader_may_not_set_up_rounds(
    client, world, unit_a, name
):
    from zhenggai.orgs.models import Membership

    Membership.objects.filter(user=world.inspector).delete()
    world.inspector.__dict__.pop("_zhenggai_scope", None)
    client.force_login(world.inspector)
    method, url, data = cases(unit_a)[name]
    assert getattr(client, method)(url, data or {}).status_code == 404
