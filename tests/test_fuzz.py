"""Hostile input never gets a server error. Every route that takes POST, as an administrator and as the role that
owns it, gets every field of the forms its page renders filled with very long text, NUL bytes, impossible dates,
Unicode digits, negative and huge numbers and ids that do not exist; fields left out and sent twice; ids in the
path that do not exist. Every answer must be below 500. Routes that only read get hostile POSTs and queries too.

A new route fails test_every_route_is_fuzzed until it is listed in POST_ROUTES or READ_ONLY."""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import Resolver404, resolve

from .test_access_matrix import EXPECTED, _fill, walk

pytestmark = pytest.mark.django_db

LONG = "långt ord " * 10_000  # 100 000 characters
NUL = "före\x00efter"
HUGE = "9" * 25
NO_SUCH_ID = "999999999"
BAD_IDS = [NO_SUCH_ID, HUGE]  # in the path
# Each value in every field of a form at once.
EVERYWHERE = [LONG, NUL, "2026-02-30", "99999-01-01", "igår", "²", "٣", "１２", "-1", HUGE, NO_SUCH_ID, ""]
A_FEW = [LONG, NUL, "²", HUGE]  # where the owner's first pass has had everything: other roles, buttons, states
# One field at a time, the others as the form shows them (so that the value gets past the other fields' checks).
PER_KIND = {
    "text": [LONG, NUL],
    "date": ["9999-12-31", "0001-01-01"],  # dates the form takes, at the ends of the calendar
    "time": ["25:99"],
    "number": ["²", "٣", HUGE],
    "choice": [NO_SUCH_ID, HUGE],
}

# url name → (the role that owns it, the page whose forms post to it when that is not the route's own page).
# Paths use the placeholders of test_access_matrix.
MEETING = "/moten/{planned}/"
POST_ROUTES = {
    "login": ("anonymous", None),
    "logout": ("samordnare", "/"),
    "governance:body_create": ("samordnare", None),
    "governance:body_edit": ("samordnare", None),
    "governance:body_status": ("samordnare", None),
    "governance:charter_create": ("samordnare", None),
    "governance:membership_create": ("admin-fyrbodal", None),
    "governance:vacancy_create": ("admin-fyrbodal", None),
    "governance:membership_edit": ("admin-fyrbodal", None),
    "governance:membership_end": ("admin-fyrbodal", None),
    "governance:membership_replace": ("admin-fyrbodal", None),
    "governance:account_invite": ("admin-fyrbodal", None),
    "governance:population_import": ("samordnare", None),
    "governance:password_reset": ("anonymous", None),
    "governance:password_set": ("anonymous", None),
    "meetings:meeting_create": ("sekreterare", None),
    "meetings:meeting_edit": ("sekreterare", None),
    "meetings:item_create": ("sekreterare", None),
    "meetings:attendance": ("sekreterare", None),
    "meetings:correction_create": ("sekreterare", None),
    "meetings:item_edit": ("sekreterare", None),
    "meetings:item_delete": ("sekreterare", None),
    "meetings:item_minutes": ("sekreterare", None),
    "meetings:justering": ("ordforande", None),
    "meetings:agenda_publish": ("sekreterare", MEETING),
    "meetings:send_for_justering": ("sekreterare", MEETING),
    "meetings:withdraw": ("sekreterare", MEETING),
    "meetings:item_move": ("sekreterare", MEETING),
    "meetings:action_status": ("sekreterare", "/moten/{published}/sammanfattning/"),
    "meetings:correction_approve": ("ordforande", "/moten/{published}/"),
    "meetings:publish": ("sekreterare", MEETING),
    "documents:plan_create": ("samordnare", None),
    "documents:section_edit": ("samordnare", None),
    "documents:goal_create": ("samordnare", None),
    "documents:goal_edit": ("samordnare", None),
    "documents:goal_delete": ("samordnare", None),
    "documents:goal_follow_up": ("samordnare", None),
    "documents:budget_line_create": ("samordnare", None),
    "documents:budget_line_edit": ("samordnare", None),
    "documents:budget_line_delete": ("samordnare", None),
    "documents:plan_record_position": ("beredning", None),
    "documents:plan_refer_back": ("beredning", None),
    "documents:plan_submit": ("samordnare", "/forvaltningsplaner/{plan2027}/"),
    "documents:plan_start_next": ("samordnare", "/forvaltningsplaner/{plan2026}/"),
    "documents:plan_archive": ("samordnare", "/forvaltningsplaner/{plan2026}/"),
    "documents:round_create": ("samordnare", None),
    "documents:round_detail": ("fyrbodal", None),
    "documents:response_edit": ("fyrbodal", None),
    "documents:round_close": ("samordnare", "/remisser/{round2027}/"),
    "documents:comment_edit": ("skaraborg", None),
    "documents:comment_withdraw": ("skaraborg", "/remisser/{round2027}/"),
}
# Pages whose form the demo's state does not show (the meeting has no minutes, the plan is not submitted): the
# fields come from the form class (or are listed), posted to the sample path.
FALLBACK_FORMS = {
    "meetings:justering": ("meetings.forms.JusteringForm", ["approve", "comment_only"]),
    "documents:plan_record_position": ("documents.plan_forms.PositionForm", []),
    "documents:plan_refer_back": ("documents.plan_forms.ReferBackForm", []),
    "meetings:action_status": ({"status": "done", "next": "/"}, []),
    "meetings:item_move": ({"direction": "up"}, []),
}
# The same routes in a second state: the published meeting (minutes justerade and published).
MORE_PAGES = {
    "meetings:item_minutes": "/punkter/{published_item}/anteckningar/",
    "meetings:correction_create": "/moten/{published}/rattelse/ny/",
    "meetings:justering": "/moten/{published}/justering/",
}
READ_ONLY = set(EXPECTED) - set(POST_ROUTES)
# Server errors whose cause is in a service (being rewritten): (name, role) → (database vendors, cause). Strict, so
# a case fails as soon as its cause is fixed; then remove it here.
KNOWN: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Signing in is fuzzed too; the real hasher costs a quarter of a second per attempt.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_route_is_fuzzed():
    assert set(walk()) - set(POST_ROUTES) - READ_ONLY == set(), "Lägg till de nya vägarna i POST_ROUTES"
    assert set(POST_ROUTES) - set(walk()) == set(), "POST_ROUTES nämner vägar som inte finns"


# --- the forms a page renders --------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form method="post">: its action, its fields (name, kind, value as a browser would send it) and the
    names of its submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "buttons": []}
            self.forms.append(self._form)
        if self._form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        name, kind = a["name"], (a.get("type") or "text").lower()
        if tag == "button" or (tag == "input" and kind == "submit"):
            if kind in ("submit", "text"):
                self._form["buttons"].append((name, a.get("value") or ""))
        elif tag == "input" and kind in ("checkbox", "radio"):
            value = a.get("value", "on")
            self._field(name, "choice", [value] if "checked" in a else [], options=[value])
        elif tag == "input":
            value = a.get("value") or ""
            if kind == "hidden":
                kind = "number" if value.isascii() and value.isdigit() else "text"
            elif kind not in ("date", "time", "number"):
                kind = "text"
            self._field(name, kind, [value], a.get("maxlength"))
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "textarea":
            self._textarea = {"name": name, "text": "", "maxlength": a.get("maxlength")}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            t = self._textarea
            self._field(t["name"], "text", [t["text"].removeprefix("\n")], t["maxlength"])
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            values = s["selected"] or ([] if s["multiple"] else s["options"][:1])
            self._field(s["name"], "choice", values, options=s["options"])
            self._select = None

    def _field(self, name, kind, values, maxlength=None, options=()):
        fields = self._form["fields"]
        for field in fields:
            if field["name"] == name:
                field["values"] += values
                field["options"] += options
                return
        fields.append(
            {"name": name, "kind": kind, "values": list(values), "maxlength": maxlength, "options": [*options]}
        )


def forms_posting_to(html: str, page: str, name: str) -> list[dict]:
    """The post forms on the page whose action is the route `name`, one of each shape (a page may show the same
    form once per section or item)."""
    parser = _Forms()
    parser.feed(html)
    found, shapes = [], set()
    for form in parser.forms:
        path = urlsplit(urljoin(page, form["action"])).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name != name:
            continue
        shape = tuple(sorted("".join(c for c in f["name"] if not c.isdigit()) for f in form["fields"]))
        shape += tuple(form["buttons"]) + tuple(f["values"][0] for f in form["fields"] if f["name"] == "action")
        if shape not in shapes:
            shapes.add(shape)
            found.append({**form, "path": path})
    return found


# --- hostile submissions -------------------------------------------------------------------------


def submissions(form: dict, *, thorough: bool):
    """(what, data) pairs: hostile values first, the form as shown and filled in (a valid submission, which may
    change the state) last; each distinct submission once. A form with several named buttons is submitted once per button, the first
    one thoroughly (every value in every field, then each field alone) if `thorough`, the others with a few values."""
    seen = set()
    for what, data in _submissions(form, thorough):
        key = tuple(sorted((k, tuple(v)) for k, v in data.items()))
        if key not in seen:
            seen.add(key)
            yield what, data


def filled(field) -> list[str]:
    """The field's value as shown, or, when it is empty, something a user would fill in (so that the hostile value
    in another field gets past the checks of this one)."""
    if any(field["values"]):
        return field["values"]
    choices = [o for o in field.get("options", []) if o]
    today = datetime.date.today()
    value = {
        "text": "Prov",
        "date": (today + datetime.timedelta(days=30)).isoformat(),
        "time": "10:00",
        "number": "1",
        "choice": choices[0] if choices else "",
    }[field["kind"]]
    return [value] if value else []


def _submissions(form, thorough):
    fields, buttons = form["fields"], form["buttons"] or [None]
    shown = {f["name"]: filled(f) for f in fields}
    for number, button in enumerate(buttons):
        press = {button[0]: [button[1]]} if button else {}
        label = f"[{button[0]}] " if button else ""
        deep = thorough and number == 0
        for value in EVERYWHERE if deep else A_FEW:
            yield f"{label}alla fält = {value[:20]!r}", {**{name: [value] for name in shown}, **press}
        for field in fields if deep else []:
            longest = ["å" * int(field["maxlength"])] if field.get("maxlength") else []  # the longest it takes
            for value in PER_KIND[field["kind"]] + longest:
                yield f"{label}{field['name']} = {value[:20]!r}", {**shown, field["name"]: [value], **press}
        every_other = {name: values for i, (name, values) in enumerate(shown.items()) if i % 2}
        yield f"{label}vartannat fält saknas", {**every_other, **press}
        yield f"{label}alla fält två gånger", {**{k: v * 2 or ["", ""] for k, v in shown.items()}, **press}
        yield f"{label}alla fält två gånger, den andra ²", {**{k: [*v[:1], "²"] for k, v in shown.items()}, **press}
        yield f"{label}inga fält", press
        yield f"{label}som formuläret visas, ifyllt", {**shown, **press}
    yield "ingenting alls", {}


def _post(client, path: str, data: dict) -> str | None:
    """The failure, if any: a status of 500 or more, or the exception the view raised (each request in its own
    savepoint, so a database error does not break the requests after it on PostgreSQL)."""
    body = urlencode([(k, v) for k, values in data.items() for v in values])
    try:
        with transaction.atomic():
            response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    except Exception as error:  # the test client re-raises what the view raised
        return f"{type(error).__name__}: {str(error)[:200]}"
    return f"HTTP {response.status_code}" if response.status_code >= 500 else None


def _sign_in(client, role):
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))


def _with_ids(path: str, value: str) -> str:
    """The path with every number in it (the ids) replaced by `value`."""
    return "/".join(value if part.isdigit() else part for part in path.split("/"))


def _kind(field) -> str:
    from django import forms

    for cls, kind in [
        (forms.DateField, "date"),
        (forms.TimeField, "time"),
        (forms.IntegerField, "number"),
        (forms.ChoiceField, "choice"),
        (forms.ModelChoiceField, "choice"),
        (forms.ModelMultipleChoiceField, "choice"),
    ]:
        if isinstance(field, cls):
            return kind
    return "text"


def fallback_form(name: str, path: str) -> dict:
    from django.utils.module_loading import import_string

    source, buttons = FALLBACK_FORMS.get(name, ({}, []))
    if isinstance(source, str):
        fields = [{"name": n, "kind": _kind(f), "values": [""]} for n, f in import_string(source).base_fields.items()]
    else:
        fields = [{"name": n, "kind": "text", "values": [v]} for n, v in source.items()]
    return {"path": path, "fields": fields, "buttons": [(b, "1") for b in buttons]}


def _pages(name, planned):
    """The route's sample path, the page whose forms post to it, and the route in a second state, if any."""
    from meetings.models import AgendaItem

    sample = _fill(EXPECTED[name][0], planned)
    source = POST_ROUTES[name][1]
    pages = [(sample, _fill(source, planned) if source else sample)]
    if name in MORE_PAGES:
        published = AgendaItem.objects.filter(meeting__minutes__status="published").order_by("pk").first()
        path = _fill(MORE_PAGES[name].replace("{published_item}", str(published.pk)), planned)
        pages.append((path, path))
    return pages


CASES = [(name, role) for name, (owner, _source) in POST_ROUTES.items() for role in dict.fromkeys([owner, "admin"])]


def _case(name, role):
    marks = []
    if (name, role) in KNOWN:
        vendors, cause = KNOWN[(name, role)]
        marks.append(pytest.mark.xfail(connection.vendor in vendors, strict=True, reason=cause))
    return pytest.param(name, role, id=f"{name}-{role}", marks=marks)


@pytest.mark.parametrize(("name", "role"), [_case(n, r) for n, r in CASES])
def test_hostile_posts_get_no_server_error(client, name, role, demo_planned_meeting):
    owner = POST_ROUTES[name][0]
    _sign_in(client, role)
    failures = []
    for state, (sample, page) in enumerate(_pages(name, demo_planned_meeting)):
        response = client.get(page)
        forms = forms_posting_to(response.content.decode(), page, name) if response.status_code == 200 else []
        for path in {_with_ids(form["path"], bad_id) for form in forms or [{"path": sample}] for bad_id in BAD_IDS}:
            if (failure := _post(client, path, {})) is not None:
                failures.append(f"POST {path}: {failure}")
        for form in forms or [fallback_form(name, sample)]:
            for what, data in submissions(form, thorough=role == owner and state == 0):
                if name == "logout":
                    _sign_in(client, role)
                if (failure := _post(client, form["path"], data)) is not None:
                    failures.append(f"POST {form['path']} {what}: {failure}")
    assert not failures, "\n".join(failures)


HOSTILE_QUERY = {"a": "²", "b": HUGE, "sida": "٣", "kategori": NUL, "next": "abc", "target": "²", "q": LONG[:5000]}


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_reading_routes_take_hostile_posts_and_queries(client, name, demo_planned_meeting):
    path = _fill(EXPECTED[name][0], demo_planned_meeting)
    _sign_in(client, "admin")
    failures = []
    if (failure := _post(client, path, {k: [v] for k, v in HOSTILE_QUERY.items()})) is not None:
        failures.append(f"POST {path}: {failure}")
    query = f"{path}{'&' if '?' in path else '?'}{urlencode(HOSTILE_QUERY)}"
    try:
        with transaction.atomic():
            status = client.get(query).status_code
        if status >= 500:
            failures.append(f"GET {query[:120]}: HTTP {status}")
    except Exception as error:
        failures.append(f"GET {query[:120]}: {type(error).__name__}: {str(error)[:200]}")
    assert not failures, "\n".join(failures)


# --- what the fuzz found, one by one ---------------------------------------------------------------


def test_a_status_change_whose_way_back_is_no_path_returns_to_the_meeting(client, secretary):
    from meetings.models import Action

    action = Action.objects.filter(item__meeting__minutes__status="published").first()
    client.force_login(secretary)
    for target in ("abc", "²", NUL, ""):
        response = client.post(f"/atgarder/{action.pk}/status/", {"status": "done", "next": target})
        assert response.status_code == 302 and response["Location"] == action.item.meeting.get_absolute_url()


def test_a_comment_on_a_section_whose_number_is_no_number_is_not_found(client, rep_fyrbodal):
    from documents.models import ReviewRound

    round_ = ReviewRound.objects.get(document__plan__year=2027)
    client.force_login(rep_fyrbodal)
    response = client.post(round_.get_absolute_url(), {"action": "comment", "target": "²", "s1-text": "Hej"})
    assert response.status_code == 404


@pytest.mark.parametrize("huge", [HUGE, "-" + HUGE])
def test_an_id_too_large_for_the_database_is_an_invalid_choice(huge):
    from governance.forms import BodyForm

    form = BodyForm({"name": "Prov", "slug": "prov", "kind": "working_group", "mandate_parties": [huge]})
    assert not form.is_valid()
    [message] = form.errors["mandate_parties"]
    assert huge in message and "är inte ett giltigt värde" in message


def test_a_text_over_its_limit_is_refused_with_the_limit_and_kept():
    from documents.review_forms import CommentForm

    form = CommentForm({"text": "x" * 20_001})
    assert form.errors["text"] == ["Texten får vara högst 20000 tecken lång men är 20001. Korta den och spara igen."]
    assert form["text"].value() == "x" * 20_001


def test_a_reason_is_no_longer_than_the_history_keeps():
    from django.utils import timezone

    from governance.forms import MembershipEndForm

    form = MembershipEndForm({"end_date": timezone.localdate().isoformat(), "reason": "å" * 101})
    assert "högst 100 tecken" in form.errors["reason"][0]
