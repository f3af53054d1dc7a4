"""Governing documents (issue 13): the routing rules for every class and role (consensus counted per subregion, one
objection stops it, the no-objection window, escalation and its reverse, principled changes only through VVG),
versions in force never change, a local supplement is written only by its own subregion, and a version's PDF is the
same bytes on every download."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from documents import governing
from documents import governing_rules as rules
from documents.governing_models import GoverningDocument, Revision, RevisionPosition
from documents.models import DocumentVersion, ImmutableVersion
from governance import case_rules
from governance.models import Body, Subregion
from meetings.models import Decision
from tests import governing_builders as gb

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sub(slug) -> Subregion:
    return Subregion.objects.get(slug=slug)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- editorial: consensus per subregion --------------------------------------------------------------------------


def test_editorial_revision_is_consulted_with_every_subregion_represented_in_the_reference_group():
    doc = gb.make_routine()
    revision = gb.propose(doc, actor=gb.user("fyrbodal"))
    represented = {
        s.slug for s in Subregion.objects.filter(memberships__body=gb.ref(), memberships__end_date__isnull=True)
    }
    assert {s.slug for s in revision.subregions.all()} == represented
    assert revision.case.owner == gb.ref() and revision.case.status == "raised"


def test_consensus_waits_for_every_subregion_and_holds_when_all_agree():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    gb.all_agree(revision, except_for=["SAMLA"])
    state = rules.consensus(revision)
    assert not state.reached and [p.subregion.short_name for p in state.waiting] == ["SAMLA"]
    assert any("SAMLA" in r for r in rules.owner_approval_refusals(revision, gb.ref()))
    gb.all_agree(revision, except_for=[s.short_name for s in revision.subregions.exclude(short_name="SAMLA")])
    assert rules.consensus(revision).reached
    assert rules.owner_approval_refusals(revision, gb.ref()) == []


def test_the_reference_group_cannot_decide_an_editorial_revision_before_consensus():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    with pytest.raises(ValidationError) as refused:
        gb.decide(revision)
    assert "Samrådet är inte klart" in _messages(refused.value)
    revision.refresh_from_db()
    assert revision.is_open and not Decision.objects.filter(item__case=revision.case).exists()


def test_one_objection_stops_the_consensus_with_its_reason_and_withdrawing_it_lets_it_go_on():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    gb.all_agree(revision)
    skaraborg = _sub("skaraborg")
    governing.position_take(
        actor=gb.user("skaraborg"),
        revision=revision,
        subregion=skaraborg,
        stance="object",
        reason="Hänvisningen är fel.",
    )
    state = rules.consensus(revision)
    assert not state.reached and [p.reason for p in state.objections] == ["<p>Hänvisningen är fel.</p>"]
    refusals = rules.owner_approval_refusals(revision, gb.ref())
    assert any("Skaraborg invänder" in r and "Hänvisningen är fel." in r for r in refusals)
    item = gb.on_agenda(revision)
    with pytest.raises(ValidationError):
        gb.decide(revision, item=item)
    governing.position_take(actor=gb.user("skaraborg"), revision=revision, subregion=skaraborg, stance="withdrawn")
    state = rules.consensus(revision)
    assert not state.objections and [p.subregion for p in state.waiting] == [skaraborg]  # withdrawn is not agreed
    governing.position_take(actor=gb.user("skaraborg"), revision=revision, subregion=skaraborg, stance="agree")
    assert rules.consensus(revision).reached
    decision = gb.decide(revision, item=item)
    revision.refresh_from_db()
    assert revision.is_approved and revision.decision == decision


def test_a_subregion_silent_through_the_window_counts_as_not_objecting_but_not_before():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    gb.all_agree(revision, except_for=["SAMLA"])
    last_day = revision.window_ends()
    assert last_day == timezone.localdate() + datetime.timedelta(days=revision.document.window_days)
    assert not rules.consensus(revision, today=last_day).reached
    assert rules.consensus(revision, today=last_day + DAY).reached
    with time_machine.travel(timezone.now() + (last_day - timezone.localdate()) + DAY):
        assert rules.owner_approval_refusals(revision, gb.ref()) == []


def test_an_objection_stops_it_even_after_the_window():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    governing.position_take(
        actor=gb.user("skaraborg"), revision=revision, subregion=_sub("skaraborg"), stance="object", reason="Nej."
    )
    assert not rules.consensus(revision, today=revision.window_ends() + 30 * DAY).reached


def test_an_approved_editorial_revision_carries_its_provenance_and_is_in_force_from_the_justering():
    doc = gb.make_routine()
    before = governing.in_force(doc)
    revision = gb.propose(doc, actor=gb.user("fyrbodal"))
    gb.all_agree(revision)
    decision = gb.decide(revision)
    revision.refresh_from_db()
    assert revision.approved_by_body == gb.ref()
    assert revision.decision == decision
    assert f"§ {decision.number}/{decision.year}" in revision.approved_reference
    assert revision.justerad_at is not None and revision.in_force_from == timezone.localdate()
    assert revision.case.status == "decided"
    assert governing.in_force(doc) == revision
    states = {s.revision.pk: s.label for s in governing.version_states(list(doc.revisions.all()))}
    assert states[revision.pk] == "Gäller" and states[before.pk].startswith("Ersatt")


def test_a_wanted_later_date_keeps_the_old_version_in_force_until_then():
    doc = gb.make_routine()
    old = governing.in_force(doc)
    revision = governing.revision_propose(
        actor=gb.user("fyrbodal"),
        governing=doc,
        sections=gb.sections(ansvar="<p>Regionen ansvarar.</p>"),
        change_class="editorial",
        rationale="Tydligare.",
        base_number=1,
        wanted_from=timezone.localdate() + 10 * DAY,
    )
    gb.all_agree(revision)
    gb.decide(revision)
    revision.refresh_from_db()
    assert revision.in_force_from == timezone.localdate() + 10 * DAY
    assert governing.in_force(doc) == old
    assert governing.in_force(doc, timezone.localdate() + 10 * DAY) == revision


# --- who takes a position -----------------------------------------------------------------------------------------


def test_the_proposer_cannot_answer_for_her_own_subregion():
    revision = gb.propose(gb.make_routine(), actor=gb.user("fyrbodal"))
    with pytest.raises(ValidationError) as refused:
        governing.position_take(
            actor=gb.user("fyrbodal"), revision=revision, subregion=_sub("fyrbodal"), stance="agree"
        )
    assert "Du har skrivit förslaget" in _messages(refused.value)


@pytest.mark.parametrize("username", ["skaraborg", "samordnare", "sekreterare", "ordforande", "admin", "beredning"])
def test_nobody_answers_for_another_subregion(username):
    revision = gb.propose(gb.make_routine())
    assert not rules.can(gb.user(username), rules.TAKE_POSITION, (revision, _sub("fyrbodal")))
    with pytest.raises(ValidationError):
        governing.position_take(actor=gb.user(username), revision=revision, subregion=_sub("fyrbodal"), stance="agree")
    assert not RevisionPosition.objects.filter(revision=revision).exists()


def test_an_objection_needs_its_reason_on_the_field():
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError) as refused:
        governing.position_take(
            actor=gb.user("fyrbodal"), revision=revision, subregion=_sub("fyrbodal"), stance="object", reason=" "
        )
    assert "reason" in refused.value.error_dict


def test_withdrawing_needs_an_objection_to_withdraw():
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError) as refused:
        governing.position_take(
            actor=gb.user("fyrbodal"), revision=revision, subregion=_sub("fyrbodal"), stance="withdrawn"
        )
    assert "ingen invändning att återta" in _messages(refused.value)


@pytest.mark.parametrize("state", ["principled", "approved"])
def test_no_position_is_taken_on_a_principled_or_approved_revision(state):
    doc = gb.make_routine()
    revision = gb.propose(doc, change_class="editorial" if state == "approved" else "principled")
    if state == "approved":
        gb.all_agree(revision)
        gb.decide(revision)
        revision.refresh_from_db()
    with pytest.raises(ValidationError):
        governing.position_take(
            actor=gb.user("skaraborg"), revision=revision, subregion=_sub("skaraborg"), stance="agree"
        )


# --- principled: only through VVG ---------------------------------------------------------------------------------


def test_a_principled_revision_becomes_a_case_prepared_by_gemensam_beredning_for_vvg():
    revision = gb.propose(gb.make_routine(), change_class="principled", actor=gb.user("fyrbodal"))
    case = revision.case
    assert case.raised_by == gb.ref()
    assert case.owner.slug == "vvg" and case.preparing_body.slug == "gemensam-beredning"
    assert case.status == "preparing"


def test_the_reference_group_cannot_approve_a_principled_revision():
    revision = gb.propose(gb.make_routine(), change_class="principled")
    with pytest.raises(ValidationError):  # no consultation on a principled change
        gb.all_agree(revision)
    assert rules.owner_approval_refusals(revision, gb.ref()) == [str(rules.PRINCIPLED_NOT_OWNER_SHORT)]
    assert case_rules.agenda_check(revision.case, gb.ref())  # not on the reference group's agenda either
    with pytest.raises(ValidationError):
        gb.decide(revision, gb.ref())


def test_vvg_decision_approves_a_principled_revision_after_justering():
    revision = gb.propose(gb.make_routine(), change_class="principled")
    vvg = Body.objects.get(slug="vvg")
    decision = gb.decide(revision, vvg, secretary=gb.user("sekreterare-vvg"), justera=False)
    revision.refresh_from_db()
    assert revision.is_open  # the path changes only at justering
    from tests.factories import make_minutes_in_state

    make_minutes_in_state(decision.item.meeting, "justerat")
    revision.refresh_from_db()
    assert revision.is_approved and revision.approved_by_body == vvg and revision.decision == decision


@pytest.mark.parametrize(
    "change_class,expected", [("editorial", True), ("principled", False), ("new", False), ("local", False)]
)
def test_only_an_editorial_revision_is_consulted(change_class, expected):
    assert Revision(change_class=change_class).is_editorial is expected


def test_a_new_document_proposed_is_decided_by_vvg():
    doc = governing.document_register(
        actor=gb.user("samordnare"), owner=gb.ref(), kind="routine", title="Ny rutin", sections=gb.sections()
    )
    revision = doc.revisions.get()
    assert revision.change_class == "new" and revision.case.owner.slug == "vvg"
    assert rules.owner_approval_refusals(revision, gb.ref()) == [str(rules.PRINCIPLED_NOT_OWNER_SHORT)]


# --- escalation and its reverse -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["skaraborg", "fyrbodal", "ordforande", "sekreterare", "samordnare"])
def test_anyone_in_the_consultation_escalates_an_editorial_revision_with_a_reason(username):
    revision = gb.propose(gb.make_routine())
    governing.revision_escalate(actor=gb.user(username), revision=revision, reason="Ansvaret flyttas.")
    revision.refresh_from_db()
    assert revision.change_class == "principled" and revision.escalation_reason == "<p>Ansvaret flyttas.</p>"
    assert revision.case.owner.slug == "vvg" and revision.case.preparing_body.slug == "gemensam-beredning"


def test_the_administrator_is_told_an_escalation_is_signed_by_a_person():
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError) as refused:
        governing.revision_escalate(actor=gb.user("admin"), revision=revision, reason="Principiell.")
    assert "inte kopplat till en person" in _messages(refused.value)


@pytest.mark.parametrize("username", ["beredning", "admin-fyrbodal", "sekreterare-vvg"])
def test_someone_outside_the_consultation_cannot_escalate(username):
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError):
        governing.revision_escalate(actor=gb.user(username), revision=revision, reason="Principiell.")
    revision.refresh_from_db()
    assert revision.change_class == "editorial"


def test_escalation_needs_a_reason_and_an_editorial_open_revision():
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError) as refused:
        governing.revision_escalate(actor=gb.user("skaraborg"), revision=revision, reason="")
    assert "reason" in refused.value.error_dict
    governing.revision_escalate(actor=gb.user("skaraborg"), revision=revision, reason="Nya regler.")
    with pytest.raises(ValidationError) as again:
        governing.revision_escalate(actor=gb.user("skaraborg"), revision=revision, reason="Igen.")
    assert str(rules.ALREADY_PRINCIPLED) in _messages(again.value)


def test_a_reference_group_decision_to_escalate_makes_the_revision_principled():
    revision = gb.propose(gb.make_routine())
    vvg = Body.objects.get(slug="vvg")
    gb.decide(revision, kind="escalation", escalated_to=vvg)
    revision.refresh_from_db()
    assert revision.is_open and revision.change_class == "principled"
    assert revision.case.owner == vvg


def _ref_decision():
    """A decision of the reference group in justerade minutes (what a de-escalation cites)."""
    from meetings import services as meeting_services
    from tests.factories import add_item, make_meeting, make_minutes_in_state

    meeting = make_meeting(gb.ref(), secretary=gb.user("sekreterare"), date=timezone.localdate())
    item = add_item(meeting, "Revideringens karaktär", purpose="decision")
    decision = meeting_services.decision_add(
        actor=gb.user("sekreterare"), item=item, kind="decision", text="Ändringen är redaktionell."
    )
    make_minutes_in_state(meeting, "justerat")
    return decision


def test_only_the_reference_groups_decision_makes_a_principled_revision_editorial_again():
    revision = gb.propose(gb.make_routine(), change_class="principled")
    old_case = revision.case
    decision = _ref_decision()
    for username in ["fyrbodal", "skaraborg", "ordforande", "beredning", "sekreterare-vvg"]:
        with pytest.raises(ValidationError):
            governing.revision_deescalate(
                actor=gb.user(username), revision=revision, decision=decision, reason="Bara språk."
            )
    governing.revision_deescalate(actor=gb.user("sekreterare"), revision=revision, decision=decision, reason="Språk.")
    revision.refresh_from_db()
    old_case.refresh_from_db()
    assert revision.change_class == "editorial" and revision.deescalation_decision == decision
    assert old_case.status == "closed"
    assert revision.case.owner == gb.ref() and revision.case.status == "raised"
    assert revision.window_ends() == timezone.localdate() + datetime.timedelta(days=revision.document.window_days)


def test_a_deescalation_must_cite_a_justerad_decision_of_the_owner():
    revision = gb.propose(gb.make_routine(), change_class="principled")
    sitiv = Decision.objects.filter(body__slug="sitiv").first()
    with pytest.raises(ValidationError) as refused:
        governing.revision_deescalate(actor=gb.user("sekreterare"), revision=revision, decision=sitiv, reason="Språk.")
    assert "decision" in refused.value.error_dict
    from meetings import services as meeting_services
    from tests.factories import add_item, make_meeting

    meeting = make_meeting(gb.ref(), secretary=gb.user("sekreterare"), date=timezone.localdate())
    draft = meeting_services.decision_add(
        actor=gb.user("sekreterare"), item=add_item(meeting, "Utkast"), kind="decision", text="Ej justerat."
    )
    with pytest.raises(ValidationError):
        governing.revision_deescalate(actor=gb.user("sekreterare"), revision=revision, decision=draft, reason="Språk.")
    revision.refresh_from_db()
    assert revision.change_class == "principled"


def test_an_editorial_revision_cannot_be_deescalated_nor_a_new_document():
    editorial = gb.propose(gb.make_routine())
    assert str(rules.DEESCALATE_NOT_PRINCIPLED) in rules.deescalate_check(gb.user("sekreterare"), editorial)
    new = governing.document_register(
        actor=gb.user("samordnare"), owner=gb.ref(), kind="routine", title="Ny rutin 2", sections=gb.sections()
    ).revisions.get()
    assert str(rules.DEESCALATE_NEW_DOCUMENT) in rules.deescalate_check(gb.user("sekreterare"), new)


# --- a revision is decided on the version it changes ---------------------------------------------------------------


def test_a_revision_written_on_an_older_version_cannot_be_approved():
    doc = gb.make_routine()
    first = gb.propose(doc, actor=gb.user("fyrbodal"))
    second = gb.propose(doc, actor=gb.user("fyrbodal"), body="<p>Meddelanden skickas i SAMSA och i NPÖ.</p>")
    gb.all_agree(first)
    gb.all_agree(second)
    gb.decide(first)
    stale = rules.owner_approval_refusals(second, gb.ref())
    assert any("version 2" in r for r in stale)
    with pytest.raises(ValidationError):
        gb.decide(second)
    with pytest.raises(ValidationError) as refused:
        gb.propose(doc, base=1)
    assert "version 2" in _messages(refused.value)


def test_a_proposal_that_changes_nothing_is_refused_on_its_sections():
    doc = gb.make_routine()
    with pytest.raises(ValidationError) as refused:
        governing.revision_propose(
            actor=gb.user("fyrbodal"),
            governing=doc,
            sections=gb.sections(),
            change_class="editorial",
            rationale="Ingenting.",
            base_number=1,
        )
    assert "sections" in refused.value.error_dict


@pytest.mark.parametrize("username", ["reader", "admin-fyrbodal", "beredning", "sekreterare-vvg"])
def test_only_those_in_the_owner_body_representatives_and_coordinators_propose(username, django_user_model):
    actor = django_user_model.objects.create_user("lasare") if username == "reader" else gb.user(username)
    with pytest.raises(ValidationError):
        gb.propose(gb.make_routine(), actor=actor)


# --- versions in force never change -------------------------------------------------------------------------------


def test_an_approved_revision_and_its_version_never_change():
    doc = gb.make_routine()
    approved = governing.in_force(doc)
    approved.rationale = "Ändrad i efterhand"
    with pytest.raises(ImmutableVersion):
        approved.save()
    with pytest.raises(ImmutableVersion):
        Revision.objects.filter(pk=approved.pk).update(in_force_from=timezone.localdate())
    with pytest.raises(ImmutableVersion):
        Revision.objects.filter(pk=approved.pk).delete()
    with pytest.raises(ImmutableVersion):
        approved.delete()
    version = approved.version
    version.content = {"sections": []}
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        DocumentVersion.objects.filter(pk=version.pk).update(content={})
    gb.propose(doc)  # a revision is a new version: the one in force is as it was
    version.refresh_from_db()
    assert version.content["sections"] == gb.SECTIONS
    assert Revision.objects.get(pk=approved.pk).rationale != "Ändrad i efterhand"


def test_an_open_revision_may_still_change_and_positions_are_only_added():
    revision = gb.propose(gb.make_routine())
    Revision.objects.filter(pk=revision.pk).update(escalation_reason="")  # open: allowed
    row = governing.position_take(
        actor=gb.user("skaraborg"), revision=revision, subregion=_sub("skaraborg"), stance="agree"
    )
    with pytest.raises(ImmutableVersion):
        row.save()
    with pytest.raises(ImmutableVersion):
        RevisionPosition.objects.filter(pk=row.pk).update(stance="object")


# --- local supplements -----------------------------------------------------------------------------------------------


def test_a_supplement_is_written_by_its_own_subregions_representatives_only():
    parent = gb.make_routine()
    goteborg = _sub("goteborgsomradet")
    for username in ["fyrbodal", "skaraborg", "samordnare", "sekreterare", "admin", "admin-fyrbodal"]:
        assert rules.supplement_check(gb.user(username), parent, goteborg), username
        with pytest.raises(ValidationError):
            governing.supplement_propose(
                actor=gb.user(username), parent=parent, subregion=goteborg, sections=gb.sections(), rationale="Lokalt."
            )
    assert not GoverningDocument.objects.filter(parent=parent).exists()
    revision = governing.supplement_propose(
        actor=gb.user("goteborg"), parent=parent, subregion=goteborg, sections=gb.sections(), rationale="Lokalt."
    )
    supplement = revision.document
    assert supplement.is_local and supplement.subregion == goteborg and supplement.owner.slug == "lgs-goteborgsomradet"
    assert revision.parent_version == governing.in_force(parent).version
    assert revision.case.owner == supplement.owner
    # A second version of the same supplement: again only Göteborgsområdet.
    with pytest.raises(ValidationError):
        governing.supplement_propose(
            actor=gb.user("fyrbodal"), parent=parent, subregion=goteborg, sections=gb.sections(), rationale="Nej."
        )


def test_nobody_proposes_a_county_wide_revision_to_a_supplement():
    parent = gb.make_routine()
    revision = governing.supplement_propose(
        actor=gb.user("goteborg"), parent=parent, subregion=_sub("goteborgsomradet"), sections=gb.sections(),
        rationale="Lokalt.",
    )  # fmt: skip
    assert rules.propose_check(gb.user("samordnare"), revision.document) == [str(rules.NOT_COUNTY_WIDE)]


def test_the_supplement_page_warns_when_its_parent_has_a_newer_version_in_force():
    client = Client()
    page = client.get("/styrdokument/rutin-for-in-och-utskrivning-tillagg-for-goteborgsomradet/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Det länsgemensamma dokumentet har en nyare version." in text
    assert "Tillägget är skrivet mot version 1; version 2 gäller nu." in text


# --- PDF --------------------------------------------------------------------------------------------------------------


def test_the_pdf_of_a_version_in_force_is_the_same_bytes_on_every_download():
    doc = gb.make_routine()
    revision = gb.propose(doc, actor=gb.user("fyrbodal"))
    gb.all_agree(revision)
    gb.decide(revision)
    revision.refresh_from_db()
    url = f"/styrdokument/{doc.slug}/version/{revision.version.number}/pdf/"
    first, second = Client().get(url), Client().get(url)
    a, b = b"".join(first.streaming_content), b"".join(second.streaming_content)
    assert first.status_code == second.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert a == b and first["ETag"] == f'"{revision.pdf_sha256}"'
    import hashlib

    assert hashlib.sha256(a).hexdigest() == revision.pdf_sha256
    assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_pdf_is_tagged_swedish_and_carries_version_status_and_provenance_on_every_page():
    from tests.test_pdf_accessibility import facts, page_count, page_text

    doc = gb.make_routine()
    long_text = "".join(f"<p>Stycke {n}: {'ord ' * 120}</p>" for n in range(40))
    revision = gb.propose(doc, actor=gb.user("fyrbodal"), body=long_text)
    gb.all_agree(revision)
    gb.decide(revision)
    revision.refresh_from_db()
    data = revision.pdf.open("rb").read()
    info = facts(data)
    assert info["lang"] == "sv" and info["marked"] and info["struct_tree"]
    assert f"version {revision.version.number}" in info["title"]
    assert page_count(data) > 1
    for page in range(1, page_count(data) + 1):
        text = " ".join(page_text(data, page).split())
        assert f"version {revision.version.number}" in text and "Fastställd" in text, page
        assert revision.approved_reference.split(",")[0] in text


def test_a_proposal_has_no_pdf():
    revision = gb.propose(gb.make_routine())
    assert Client().get(f"/styrdokument/{revision.document.slug}/version/2/pdf/").status_code == 404


def test_an_objection_of_empty_markup_has_no_reason():
    revision = gb.propose(gb.make_routine())
    with pytest.raises(ValidationError) as refused:
        governing.position_take(
            actor=gb.user("fyrbodal"), revision=revision, subregion=_sub("fyrbodal"), stance="object", reason="<p> </p>"
        )
    assert "reason" in refused.value.error_dict


def test_a_revision_on_the_agenda_is_escalated_by_the_meeting_not_from_its_page():
    revision = gb.propose(gb.make_routine())
    gb.on_agenda(revision)
    revision.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        governing.revision_escalate(actor=gb.user("skaraborg"), revision=revision, reason="Nya regler.")
    assert "Referensgrupp SHVO:s dagordning" in _messages(refused.value)


def test_validity_is_extended_by_the_owners_steward_with_a_reason_and_only_forward():
    doc = gb.make_routine()
    until = timezone.localdate() + 100 * DAY
    governing.validity_extend(actor=gb.user("sekreterare"), governing=doc, valid_until=until, reason="VVG beslutade.")
    doc.refresh_from_db()
    assert doc.valid_until == until and doc.extensions.get().previous_until is None
    with pytest.raises(ValidationError) as refused:
        governing.validity_extend(actor=gb.user("sekreterare"), governing=doc, valid_until=until, reason="Igen.")
    assert "valid_until" in refused.value.error_dict
    with pytest.raises(ValidationError):
        governing.validity_extend(actor=gb.user("fyrbodal"), governing=doc, valid_until=until + DAY, reason="Jag.")
    page = Client().get(doc.get_absolute_url()).content.decode()
    assert f"gäller till och med {until.isoformat()}" in page and "VVG beslutade." in page


def test_a_revision_whose_case_was_closed_says_it_can_no_longer_be_approved():
    from governance import cases

    revision = gb.propose(gb.make_routine())
    gb.all_agree(revision)
    cases.case_close(actor=gb.user("sekreterare"), case=revision.case, reason="Frågan är löst på annat sätt.")
    revision.refresh_from_db()
    assert rules.owner_approval_refusals(revision, gb.ref()) == [str(rules.CASE_CLOSED)]
    client = Client()
    client.force_login(gb.user("sekreterare"))
    assert str(rules.CASE_CLOSED) in client.get(revision.get_absolute_url()).content.decode()
