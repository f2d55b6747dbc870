"""What a signed-in person is served is never cached; public pages may be."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.ledger import services
from zhenggai.lib import samples


def test_pages_files_and_exports_of_signed_in_people_are_not_stored(client, world):
    problem = world.problem(approve=True)
    report = services.report_progress(
        problem, by=world.staff, text="进展", files=[SimpleUploadedFile("纪要.pdf", samples.pdf())]
    )
    client.force_login(world.leader)
    for url in (
        reverse("ledger"),
        reverse("evidence_download", args=[report.evidence.get().pk]),
        reverse("round_ledger_xlsx", args=[world.round.pk]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_public_pages_are_not_marked_private(client, world):
    response = client.get(reverse("public_notices"))
    assert "no-store" not in response.get("Cache-Control", "")
    assert "default-src 'self'" in response["Content-Security-Policy"]
