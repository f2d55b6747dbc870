"""Text from users and imported documents is escaped on every page that shows it."""

from pathlib import Path

from django.urls import reverse

from zhenggai.ledger import services

SCRIPT = '<script>alert("x")</script>'
TEMPLATES = Path(__file__).resolve().parents[1]


def test_no_template_marks_text_safe():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text and "autoescape off" not in text, template


def test_a_script_in_user_text_is_shown_as_text_everywhere(client, world):
    problem = services.create_problem(
        world.round,
        by=world.inspector,
        number="<i>1</i>",
        title=f"标题{SCRIPT}",
        description=SCRIPT,
        path=[SCRIPT],
    )
    services.create_measure(
        problem,
        by=world.leader,
        text=f"措施{SCRIPT}",
        lead_section=world.section,
        deadline_kind="ongoing",
    )
    services.report_progress(problem, by=world.staff, text=SCRIPT)
    flag = services.flag_problem(problem, by=world.discipline, note=SCRIPT)
    client.force_login(world.leader)
    pages = [
        reverse("home"),
        reverse("round_detail", args=[world.round.pk]),
        reverse("ledger"),
        reverse("ledger") + "?q=script",
        reverse("problem_detail", args=[problem.pk]),
        reverse("my_tasks"),
        reverse("measure_edit", args=[problem.measures.get().pk]),
        reverse("problem_transition", args=[problem.pk, "approve_plan"]),
        reverse("flag_answer", args=[flag.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<i>1</i>" not in body, url
    services.answer_flag(flag, by=world.leader, answer=SCRIPT)
    client.force_login(world.discipline)
    for url in (reverse("flag_close", args=[flag.pk]), reverse("my_tasks"), reverse("ledger")):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<i>1</i>" not in body, url
    client.force_login(world.leader)
    body = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
