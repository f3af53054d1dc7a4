"""The layout the apps stand on (issue 9), checked so it cannot quietly erode:

- core/ is below the apps: it imports none of governance, documents or meetings.
- governance is below documents and meetings: its modules import neither, and its rules read no attribute of their
  models (each app registers the rules of its own actions with the one dispatcher).
- Refusals by scope (404) and by right (403) are raised by the rule and queryset plumbing, never written into a view.
- Templates ask models or checks; they never compare a raw status string. Pages write their <h1> through
  components/page_header.html, as they write breadcrumbs, error summaries and badges through their components. Governance's templates do not load the
  other apps' template tags: pages compose other apps' panels through core.waiting.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from governance import permissions

BASE = Path(settings.BASE_DIR)
APPS = ("core", "governance", "documents", "meetings")
PLUMBING = {"permissions.py", "rules.py", "querysets.py", "store.py"}  # store: a published file that is missing


def _modules(app: str):
    return [p for p in (BASE / app).rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("core", {"governance", "documents", "meetings", "shvo"}),
        ("governance", {"documents", "meetings"}),
        ("documents", {"meetings"}),
    ],
)
def test_a_lower_layer_imports_no_app_above_it(app, forbidden):
    offenders = {str(p.relative_to(BASE)): sorted(_imports(p) & forbidden) for p in _modules(app)}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_views_raise_no_404_or_403_themselves():
    """404 comes from a scoped queryset (get_object_or_404 over visible_to), 403 from permissions.require."""
    pattern = re.compile(r"raise (Http404|PermissionDenied)\b")
    offenders = [
        f"{p.relative_to(BASE)}:{n}"
        for app in APPS
        for p in _modules(app)
        if p.name not in PLUMBING
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def _model_attributes(app_label: str) -> set[str]:
    names = set()
    for model in apps.get_app_config(app_label).get_models():
        for f in model._meta.get_fields():
            names.add(f.name)
            names.add(getattr(f, "attname", f.name))
            if f.is_relation and getattr(f, "related_name", None):
                names.add(f.related_name)
        names |= {n for n, v in vars(model).items() if isinstance(v, property)}
    return names


def test_the_permission_policy_reads_no_attribute_of_documents_or_meetings_models():
    tree = ast.parse((BASE / "governance" / "permissions.py").read_text(encoding="utf-8"))
    modules = {
        a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names
    }
    read = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and not (isinstance(node.value, ast.Name) and node.value.id in modules)
    }
    own = _model_attributes("governance") | _model_attributes("auth") | {"pk", "id"}
    theirs = (_model_attributes("documents") | _model_attributes("meetings")) - own
    assert sorted(read & theirs) == []


def test_every_action_has_exactly_one_registered_rule_and_unknown_actions_are_refused(django_user_model):
    assert permissions.can(AnonymousUser(), "no-such-action") is False
    assert {"edit_body", "manage_seat", "edit_plan", "view_plan", "manage_meetings", "justera"} <= set(
        permissions._RULES
    )


RAW_STATUS = re.compile(r"""\.status\s*(==|!=)\s*["']|status\s*(==|!=)\s*["']|["']\s*(==|!=)\s*\w+\.status\b""")


def test_templates_never_compare_a_raw_status_string():
    offenders = [
        f"{p.relative_to(BASE)}:{n}"
        for p in (BASE / "templates").rglob("*.html")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_STATUS.search(line)
    ]
    assert offenders == []


GOVERNANCE_TAG_LIBRARIES = {"i18n", "static", "core_tags"}


def test_governance_templates_do_not_load_the_other_apps_tags():
    """Governance's templates load only Django's i18n and static and core's tags: nothing from meetings or
    documents (the start page composes their panels through core.waiting)."""
    offenders = [
        f"{p.relative_to(BASE)}: {library}"
        for p in (BASE / "templates" / "governance").rglob("*.html")
        for load in re.findall(r"{%\s*load\s+([^%]*?)\s*%}", p.read_text(encoding="utf-8"))
        for library in load.split()
        if library not in GOVERNANCE_TAG_LIBRARIES
    ]
    assert offenders == []


def test_error_summaries_are_written_once():
    """Every error summary comes from components/error_summary.html (role, focus, heading, links to the fields)."""
    offenders = [
        str(p.relative_to(BASE))
        for p in (BASE / "templates").rglob("*.html")
        if not str(p.relative_to(BASE / "templates")).startswith("components/")
        and 'class="error-summary' in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_breadcrumbs_are_written_once():
    """Pages pass `crumbs` from the view to components/breadcrumbs.html; no template writes its own trail."""
    offenders = [
        str(p.relative_to(BASE))
        for p in (BASE / "templates").rglob("*.html")
        if p.name != "breadcrumbs.html" and 'aria-label="Brödsmulor"' in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


SCOPES = re.compile(r"(visible_to|followed_by|published_files)\(")  # published_files: the part everybody may read


def _scoped_models() -> set[str]:
    """The models whose manager offers `visible_to(user)`: a detail view must open them through it."""
    return {
        m.__name__
        for label in APPS[1:]
        for m in apps.get_app_config(label).get_models()
        if hasattr(m._default_manager, "visible_to")
    }


def test_every_detail_view_opens_its_object_through_its_scope():
    """`get_object_or_404(X, …)` or `get_object_or_404(X.objects.…, …)` for a model with `visible_to` asks the
    scope (visible_to, or a narrower scope built on the same role facts), even where the scope is everything."""
    scoped, offenders = _scoped_models(), []
    for app in APPS[1:]:
        for p in _modules(app):
            if p.name in PLUMBING or p.name == "demo.py":
                continue
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "get_object_or_404"):
                    continue
                first = node.args[0]
                root = first
                while isinstance(root, ast.Call | ast.Attribute):
                    root = root.func if isinstance(root, ast.Call) else root.value
                source = ast.unparse(first)
                if isinstance(root, ast.Name) and root.id in scoped and not SCOPES.search(source):
                    offenders.append(f"{p.relative_to(BASE)}:{node.lineno}: {source}")
    assert offenders == []


def test_badges_are_written_once():
    """A status or state shown as a badge goes through components/status_badge.html; no template writes its own."""
    offenders = [
        f"{p.relative_to(BASE)}:{n}"
        for p in (BASE / "templates").rglob("*.html")
        if p.name != "status_badge.html"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""class=["']badge\b""", line)
    ]
    assert offenders == []


# Templates that may write their own <h1>: the component itself; the error pages (409/500/503 stand alone, with no
# database and no base.html); the PDFs WeasyPrint renders (their own masthead and print styles); and the case pages,
# which the lead adopts at merge (remove them from here then).
OWN_H1 = {
    "components/page_header.html",
    "403.html",
    "404.html",
    "409.html",
    "500.html",
    "503.html",
    "documents/pdf/plan.html",
    "documents/pdf/quarterly_report.html",
    "documents/pdf/governing.html",
    "documents/round_compilation.html",
    "meetings/pdf/_masthead.html",
}
H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def _writes_h1() -> set[str]:
    root = BASE / "templates"
    return {str(p.relative_to(root)) for p in root.rglob("*.html") if H1.search(p.read_text(encoding="utf-8"))}


def test_page_headings_are_written_once():
    """A page's <h1> (with its status line and lead) comes from components/page_header.html; only the templates in
    OWN_H1 write one themselves."""
    assert sorted(_writes_h1() - OWN_H1) == []


def test_every_exception_for_its_own_heading_still_writes_one():
    """An exception that no longer writes an <h1> (a page adopted the component) leaves OWN_H1 too."""
    assert sorted(OWN_H1 - _writes_h1()) == []
