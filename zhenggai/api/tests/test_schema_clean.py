from django.core.management import call_command


def test_the_schema_is_generated_without_a_warning(tmp_path, db):
    """Every operation typed, every choice set named once: a warning fails the build."""
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))
