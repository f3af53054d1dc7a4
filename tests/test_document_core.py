"""The document core: a review round's version is frozen and is what reviewers read and comment on; comments point
at a section of that version and may quote a passage that must occur in it; versions never change once saved."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents import reviews, services
from documents.compilation import compilation_context
from documents.models import Comment, Document, DocumentVersion, ImmutableVersion, ReviewRound

from .factories import make_plan

pytestmark = pytest.mark.django_db

OLD, NEW = "tillgänglighet på 99,9 % enligt leverantörsavtal", "tillgänglighet på 99,95 % enligt leverantörsavtal"


@pytest.fixture
def round2027(db):
    return ReviewRound.objects.select_related("document__plan", "version").get(document__plan__year=2027)


def page_of(client, user, round_) -> str:
    client.force_login(user)
    response = client.get(round_.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def edit_operations(coordinator, round_) -> None:
    """The coordinator edits the draft while the round is open (the plan stays editable in review)."""
    section = round_.plan.sections.get(key="operations")
    assert OLD in section.body
    services.section_save(
        actor=coordinator, section=section, body=section.body.replace(OLD, NEW), base_version=section.revision
    )


# --- the version sent is what reviewers read --------------------------------------------------------


def test_reviewers_see_the_version_that_was_sent_after_the_coordinator_edited_the_draft(
    client, coordinator, rep_fyrbodal, round2027
):
    before = page_of(client, rep_fyrbodal, round2027)
    assert OLD in before and "Ändrat sedan remissversionen" not in before  # the draft is still the version sent
    sent = round2027.version.number

    edit_operations(coordinator, round2027)

    html = page_of(client, rep_fyrbodal, round2027)
    assert OLD in html and NEW not in html  # (the word diff below marks up the change, so NEW is never whole)
    # The sections shown are the version's, not the live rows.
    sections = {s.key: s.body for s in client.get(round2027.get_absolute_url()).context["sections"]}
    assert OLD in sections["operations"] and NEW not in sections["operations"]
    # The page says that the draft has changed since, and how, word by word.
    assert "Ändrat sedan remissversionen" in html
    assert f"sedan version {sent} skickades på remiss" in html
    changes = client.get(round2027.get_absolute_url()).context["draft_changes"]
    assert [row["title"] for row in changes] == ["Drift och utveckling av systemstöd"]
    diff = changes[0]["diff"]
    assert "<del>99,9" in diff and "<ins>99,95" in diff and diff in html
    round2027.refresh_from_db()
    assert round2027.version.number == sent and OLD in round2027.version.section("operations").body


def test_the_comment_forms_and_the_compilation_are_the_version_sent(client, coordinator, rep_fyrbodal, round2027):
    edit_operations(coordinator, round2027)
    client.force_login(rep_fyrbodal)
    page = client.get(round2027.get_absolute_url())
    keys = [s.key for s in page.context["sections"]]
    assert keys == [s["key"] for s in round2027.version.content["sections"]]
    assert 'name="target" value="operations"' in page.content.decode()
    compiled = compilation_context(round2027)
    (operations,) = [s for s in compiled["sections"] if s.key == "operations"]
    assert OLD in operations.body and [c.text for c in operations.threads][0].startswith(
        "<p>Hur följs tillgängligheten"
    )


# --- comments point at the version sent ---------------------------------------------------------------


def test_a_comment_records_the_section_key_of_the_version_sent(rep_fyrbodal, round2027):
    comment = reviews.comment_add(actor=rep_fyrbodal, round_=round2027, section_key="budget", text="Oklart.")
    assert comment.section_key == "budget" and comment.quote == ""
    with pytest.raises(ValidationError) as refused:
        reviews.comment_add(actor=rep_fyrbodal, round_=round2027, section_key="finns-inte", text="Oklart.")
    assert refused.value.message_dict == {"section_key": ["Avsnittet finns inte i remissversionen."]}


def test_a_reply_belongs_to_its_threads_section(coordinator, round2027):
    root = Comment.objects.get(round=round2027, text__contains="Hur följs tillgängligheten")
    reply = reviews.comment_add(actor=coordinator, round_=round2027, parent=root, section_key="budget", text="Svar.")
    assert reply.section_key == root.section_key == "operations"


def test_a_posted_section_not_in_the_version_is_not_found(client, rep_fyrbodal, round2027):
    client.force_login(rep_fyrbodal)
    for target in ("finns-inte", "1", "²", ""):
        response = client.post(round2027.get_absolute_url(), {"action": "comment", "target": target})
        assert response.status_code == 404, target


def test_a_quote_must_occur_in_the_section_of_the_version_sent(coordinator, rep_fyrbodal, round2027):
    edit_operations(coordinator, round2027)
    # Whitespace, line breaks and the HTML of the section do not matter; the words do.
    ok = reviews.comment_add(
        actor=rep_fyrbodal, round_=round2027, section_key="operations", text="Ok.", quote="  tillgänglighet på\n 99,9 %"
    )
    assert ok.quote == "tillgänglighet på\n 99,9 %"
    for quote in ("99,95 %", "tillgänglighet på 99 %"):  # the new draft's words, or words that were never there
        with pytest.raises(ValidationError) as refused:
            reviews.comment_add(actor=rep_fyrbodal, round_=round2027, section_key="operations", text="Ok.", quote=quote)
        assert refused.value.message_dict["quote"][0].startswith(
            "Det markerade stycket finns inte i avsnittet i remissversionen. Kopiera texten exakt"
        )
    with pytest.raises(ValidationError) as refused:  # a passage of another section
        reviews.comment_add(actor=rep_fyrbodal, round_=round2027, section_key="budget", text="Ok.", quote="99,9 %")
    assert list(refused.value.message_dict) == ["quote"]


def test_a_quote_not_in_the_section_is_refused_on_the_page_and_what_was_typed_is_kept(client, rep_fyrbodal, round2027):
    client.force_login(rep_fyrbodal)
    before = Comment.objects.count()
    response = client.post(
        round2027.get_absolute_url(),
        {
            "action": "comment",
            "target": "operations",
            "s-operations-text": "Hur mäts detta?",
            "s-operations-quote": "tillgänglighet på 100 %",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Comment.objects.count() == before
    assert "Det markerade stycket finns inte i avsnittet i remissversionen." in html
    assert 'href="#id_s-operations-quote"' in html
    assert "tillgänglighet på 100 %</textarea>" in html and "Hur mäts detta?</textarea>" in html


# --- versions are frozen -------------------------------------------------------------------------------


def test_a_saved_version_cannot_be_changed(round2027):
    version = DocumentVersion.objects.get(pk=round2027.version_id)
    content = version.content
    version.content = {"sections": [], "goals": []}
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        DocumentVersion.objects.filter(pk=version.pk).update(note="ändrad")
    assert DocumentVersion.objects.get(pk=version.pk).content == content


def test_editing_the_draft_adds_a_version_and_leaves_the_sent_one(coordinator, round2027):
    sent = DocumentVersion.objects.get(pk=round2027.version_id)
    edit_operations(coordinator, round2027)
    latest = round2027.plan.versions.order_by("-number").first()
    assert latest.number == sent.number + 1 and NEW in latest.section("operations").body
    assert DocumentVersion.objects.get(pk=sent.pk).content == sent.content


# --- the document ---------------------------------------------------------------------------------------


def test_a_plan_is_a_document_whose_versions_and_rounds_are_the_documents(coordinator):
    """plan_create makes the plan's Document (kind förvaltningsplan, recorded with its user and reason); versions and
    rounds belong to the document, and next year's plan is a document of its own, numbered from 1."""
    plan = make_plan(actor=coordinator)
    document = plan.document
    assert document.kind == Document.Kind.MANAGEMENT_PLAN and document.title == str(plan)
    created = document.history.get()
    assert created.history_user == coordinator and created.history_change_reason
    assert list(plan.versions.all()) == list(DocumentVersion.objects.filter(document=document))
    assert plan.versions.get().number == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # numbers are unique per document
        DocumentVersion.objects.create(document=document, number=1, content={"sections": [], "goals": []})


def test_one_open_round_per_document(round2027):
    assert round2027.plan.document == round2027.document == round2027.version.document
    assert list(round2027.plan.rounds.all()) == [round2027]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(document=round2027.document, version=round2027.version, deadline=round2027.deadline)


# --- the migration -------------------------------------------------------------------------------------


def test_the_comment_key_migration_round_trips_the_demo_data(tmp_path):
    """Seed the demo, migrate documents back to the section foreign key and forward again: every comment keeps its
    section (on the demo data, in a database of its own)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_DEBUG": "1"}
    env["DJANGO_MEDIA_ROOT"] = str(tmp_path / "media")  # the demo publishes minutes: never into the project's media/
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    show = (
        "from documents.models import Comment; "
        "print(sorted(Comment.objects.values_list('text', 'section_key'))); "
        "print(Comment.history.exclude(section_key='').count())"
    )
    for args in (["migrate", "-v0"], ["seed_demo", "-v0"]):
        subprocess.run([*manage, *args], env=env, check=True, capture_output=True)
    before = subprocess.run([*manage, "shell", "-c", show], env=env, check=True, capture_output=True, text=True)
    for args in (["migrate", "documents", "0003", "-v0"], ["migrate", "-v0"]):
        subprocess.run([*manage, *args], env=env, check=True, capture_output=True)
    after = subprocess.run([*manage, "shell", "-c", show], env=env, check=True, capture_output=True, text=True)
    assert "'operations'" in before.stdout and "'resources'" in before.stdout
    assert after.stdout == before.stdout


def test_the_document_migration_keeps_versions_rounds_and_comments_and_reverses(tmp_path):
    """Seed the demo, migrate documents back before the document core (0005: versions and rounds on the plan) and
    forward again: every plan has its document, and its versions, rounds (with their history) and comments are
    the same, on the same plan's document."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_DEBUG": "1"}
    env["DJANGO_MEDIA_ROOT"] = str(tmp_path / "media")
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    show = (
        "from documents.models import Comment, DocumentVersion, ManagementPlan, ReviewRound; "
        "print(sorted((p.year, p.document.kind, p.document.title) for p in ManagementPlan.objects.all())); "
        "print(sorted(DocumentVersion.objects.filter(document__kind='management_plan')"
        ".values_list('document__plan__year', 'number', 'note'))); "
        "print(sorted((r.document.plan.year, r.version.document.plan.year, r.version.number, str(r.deadline)) "
        "for r in ReviewRound.objects.all())); "
        "print(sorted(Comment.objects.values_list('round__document__plan__year', 'section_key', 'text'))); "
        "print(sorted(ReviewRound.history.values_list('document__plan__year', 'history_type')))"
    )
    old_state = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SELECT p.year, v.number FROM documents_planversion v JOIN documents_managementplan p "
        "ON p.id = v.plan_id'); print(sorted(c.fetchall())); "
        "c.execute('SELECT count(*) FROM documents_reviewround WHERE plan_id IS NOT NULL'); print(c.fetchone()[0])"
    )

    def run(*args, **kwargs):
        return subprocess.run([*manage, *args], env=env, check=True, capture_output=True, text=True, **kwargs)

    run("migrate", "-v0")
    run("seed_demo", "-v0")
    before = run("shell", "-c", show).stdout
    run("migrate", "documents", "0005", "-v0")
    back = run("shell", "-c", old_state).stdout.splitlines()[-2:]
    run("migrate", "-v0")
    after = run("shell", "-c", show).stdout
    plans, versions, rounds, comments, round_history = before.splitlines()[-5:]
    assert "(2026, 'management_plan', 'Förvaltningsplan SHVO 2026')" in plans and "(2027, 1," in versions
    assert "(2027, 2027," in rounds and "'operations'" in comments and "(2027, '+')" in round_history
    assert len(eval(back[0])) == len(eval(versions)) and back[1] == "1"  # noqa: S307 (our own output)
    assert after == before
