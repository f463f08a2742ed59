"""The layers hold: `ntm_site/` (the platform) names no domain app, and a domain app names only earlier ones.

Read from the source with `ast`, so an import inside a function, `apps.get_model("criteria", …)`
and a lazy model reference such as `ForeignKey("divisions.AdministrativeUnit")` count as much as an
import at the top. Tests and migrations are left out: tests exercise the whole project, and a
migration is frozen history that names whatever its models pointed at when it was written.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# divisions ← criteria ← sponsorship ← meetings ← reports: an app may name the ones before it.
ORDER = ("divisions", "criteria", "sponsorship", "meetings", "reports")
MODEL_CALLS = {"get_model", "ForeignKey", "OneToOneField", "ManyToManyField"}


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _named_apps(path: Path) -> set[tuple[str, int]]:
    """(top-level app, line) for every import and model reference in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
                found.add((str(node.args[0].value).split(".")[0], node.lineno))
            if name not in MODEL_CALLS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                # get_model("criteria", "CommuneYear"), get_model("criteria.CommuneYear"), FK("divisions.X")
                found.add((first.value.split(".")[0], node.lineno))
    return found


def _violations(package: str, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} names {app}"
        for path in _sources(package)
        for app, line in sorted(_named_apps(path))
        if app in forbidden
    ]


def test_platform_names_no_domain_app():
    """ntm_site/ is the platform: a domain app it imports (even inside a function) fails this test by file and line."""
    assert _violations("ntm_site", set(ORDER) | {"seeds"}) == []


@pytest.mark.parametrize("app", ORDER)
def test_domain_app_names_only_earlier_apps(app):
    """criteria may import divisions, never sponsorship; reports may import them all."""
    later = set(ORDER[ORDER.index(app) + 1 :]) | {"seeds"}
    assert _violations(app, later) == []


def test_the_checker_sees_imports_inside_functions_and_model_references(tmp_path):
    """The parser itself: a nested import, get_model and a string FK are all found."""
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n"
        "    from criteria.models import CommuneYear\n"
        "    apps.get_model('sponsorship', 'Assignment')\n"
        "x = models.ForeignKey('divisions.AdministrativeUnit', on_delete=None)\n",
        encoding="utf-8",
    )
    assert {app for app, _ in _named_apps(module)} == {"criteria", "sponsorship", "divisions"}
