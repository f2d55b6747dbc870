"""The apps form a one-way stack, and this test keeps it so: a module imports only its own app
and the layers below it, never another app's views; `lib` and `intake` import no app, and
`intake` not even Django (only those `lib` modules that import neither, e.g. `lib.soffice`).

    lib, intake, formats   (ground: no app)
    orgs
    ledger + rounds        (one core)
    supervision, reports, public, and the coming apps (each only the declared ones of its layer)
    pages                  (pages that combine several apps)
    urls, demo, cli, settings, wsgi, testing
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {
    "lib": 0,
    "intake": 0,
    "formats": 0,
    "orgs": 1,
    "ledger": 2,
    "rounds": 2,
    "supervision": 3,
    "reports": 3,
    "public": 3,
    "evaluations": 3,
    "assessments": 3,
    "accounts": 3,
    "pages": 4,
    "api": 4,
    "ops": 4,
    "demo": 5,
    "urls": 5,
    "cli": 5,
    "settings": 5,
    "wsgi": 5,
    "testing": 5,
}
# Imports between apps of one layer, one way each: the public's side shows published notices;
# the Excel ledger names supervision levels; an evaluation 通报 is laid out as the reports are;
# the monthly assessment scores ratings, 督办单 and the office's records, and lays out its 通报
# as the reports are.
ACROSS = {
    ("public", "reports"),
    ("reports", "supervision"),
    ("evaluations", "reports"),
    ("assessments", "evaluations"),
    ("assessments", "supervision"),
    ("assessments", "reports"),
}
# The ground imports nothing of the project above itself.
GROUND_ONLY_ITSELF = {"lib", "intake", "formats"}


def plain_lib_modules(module: str, names: list[str]) -> bool:
    """Whether `from module import names` (or `import module`) takes only `lib` modules that
    import neither Django nor any other module of the project (so the importer, which never
    imports Django, may use them)."""
    if module == "zhenggai.lib":
        return bool(names) and all(_plain_lib_module(f"{module}.{name}") for name in names)
    return _plain_lib_module(module)


def _plain_lib_module(module: str) -> bool:
    parts = module.split(".")
    path = ROOT.joinpath(*parts[1:]).with_suffix(".py")
    if parts[:2] != ["zhenggai", "lib"] or len(parts) != 3 or not path.is_file():
        return False
    return all(
        name.split(".")[0] != "django" and not name.startswith("zhenggai.")
        for _, name, _ in imports_of(path.read_text())
    )


def _is_views(name: str) -> bool:
    """A views module by its name: `views`, `flag_views` (not `bad_reviews`)."""
    return name == "views" or name.endswith("_views")


def _app(parts: tuple[str, ...]) -> str:
    return parts[0].removesuffix(".py")


def imports_of(text: str):
    """(line, module, names) of every `zhenggai.` import, at any depth (lazy ones too)."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def violations(relative: Path, text: str) -> list[str]:
    """What in the module at `relative` (inside zhenggai/) runs against the stack."""
    source = _app(relative.parts)
    found = []
    for line, module, names in imports_of(text):
        where = f"{relative}:{line} imports {module}"
        if source == "intake" and module.split(".")[0] == "django":
            found.append(f"{where}: the importer never imports Django")
        parts = module.split(".")
        if parts[0] != "zhenggai" or len(parts) < 2:
            continue
        target = parts[1]
        if target == source:
            continue
        if source == "intake" and plain_lib_modules(module, names):
            continue
        if source in GROUND_ONLY_ITSELF:
            found.append(f"{where}: {source} imports no app")
            continue
        views = any(_is_views(name) for name in (parts[-1], *names))
        if views and target != "lib" and LAYERS.get(source, 5) < 5:
            found.append(f"{where}: an app never imports another app's views")
        low, high = LAYERS.get(target, 5), LAYERS.get(source, 5)
        if low > high or (low == high and high < 5 and (source, target) not in ACROSS):
            if {source, target} != {"ledger", "rounds"}:
                found.append(f"{where}: runs up (or across) the stack")
    return found


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        yield relative, path.read_text()


def test_every_import_runs_down_the_stack():
    found = [v for relative, text in modules() for v in violations(relative, text)]
    assert found == []


@pytest.mark.parametrize(
    "relative, text",
    [
        ("ledger/pages.py", "from zhenggai.supervision.models import Escalation"),
        ("rounds/views.py", "def f():\n    from zhenggai.public.models import Opinion"),
        ("reports/views.py", "from zhenggai.supervision import views"),
        ("supervision/pages.py", "from zhenggai.ledger.views import problem_url"),
        ("supervision/x.py", "from zhenggai.public.models import Opinion"),
        ("lib/x.py", "from zhenggai.orgs.access import scope_for"),
        ("intake/x.py", "from django.conf import settings"),
        ("intake/x.py", "from zhenggai.lib.slots import slot"),  # lib.slots reads settings
        ("orgs/x.py", "import zhenggai.ledger.models"),
    ],
)
def test_a_planted_wrong_way_import_is_caught(relative, text):
    assert violations(Path(relative), text)


def test_the_way_down_passes():
    assert not violations(Path("intake/readers/x.py"), "from zhenggai.lib import soffice")
    assert not violations(Path("pages/x.py"), "from zhenggai.supervision.pages import x")
    assert not violations(Path("public/x.py"), "from zhenggai.reports.models import Notice")
    assert not violations(Path("urls.py"), "from zhenggai.ledger import views")
