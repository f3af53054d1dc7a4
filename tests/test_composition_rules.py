"""Composition rules are data, and the portal checks a body against them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import CompositionRule, Membership, Person, Subregion, Vacancy


def check(body, on=None):
    on = on or datetime.date.today()
    return services.body_composition_check(
        body=body,
        subregions=list(Subregion.objects.all()),
        memberships=list(Membership.objects.current(on).filter(body=body).select_related("party")),
        vacancies=list(body.vacancies.filter(filled_on__isnull=True)),
        rules=list(body.composition_rules.all()),
    )


def add_rep(body, subregion, name, start=datetime.date(2026, 1, 1), **extra):
    person = Person.objects.create(first_name=name, last_name="Testsson")
    return Membership(person=person, body=body, subregion=subregion, role="member", start_date=start, **extra)


def test_subregion_with_no_representative_is_reported_as_too_few(ref_group):
    messages = [f.message for f in check(ref_group) if f.level == "error"]
    assert messages == ["SIMBA har 0 representanter; minst 1 krävs."]


def test_registered_vacancy_is_listed_in_the_check(ref_group):
    vacancies = [f for f in check(ref_group) if f.level == "vacancy"]
    assert len(vacancies) == 1 and vacancies[0].subregion.short_name == "SIMBA"


def test_third_representative_for_a_subregion_capped_at_two_is_refused(ref_group, subregion):
    with pytest.raises(ValidationError) as error:
        services.membership_validate(add_rep(ref_group, subregion["Fyrbodal"], "Tredje"))
    assert "högst 2 är tillåtet" in str(error.value.message_dict["subregion"])


def test_goteborgsomradet_may_have_four_but_not_five(ref_group, subregion):
    gbg = subregion["Göteborgsområdet"]
    assert Membership.objects.current().filter(body=ref_group, subregion=gbg).count() == 4
    with pytest.raises(ValidationError) as error:
        services.membership_validate(add_rep(ref_group, gbg, "Femte"))
    assert "högst 4" in str(error.value.message_dict["subregion"])


def test_cap_counts_only_overlapping_terms(ref_group, subregion):
    # A third Fyrbodal member whose term starts after one of the two has ended fits under the cap.
    current = Membership.objects.current().filter(body=ref_group, subregion=subregion["Fyrbodal"]).first()
    current.end_date = datetime.date(2026, 6, 30)
    current.save()
    services.membership_validate(
        add_rep(ref_group, subregion["Fyrbodal"], "Efterträdare", start=datetime.date(2026, 7, 1))
    )


def test_too_many_representatives_entered_past_the_rules_is_reported(ref_group, subregion):
    add_rep(ref_group, subregion["Skaraborg"], "Extra").save()  # bypasses the service, as old data might
    messages = [f.message for f in check(ref_group) if f.level == "error"]
    assert "Skaraborg har 3 representanter; högst 2 är tillåtet." in messages


def test_filling_the_vacancy_clears_both_findings(ref_group, subregion):
    add_rep(ref_group, subregion["SIMBA"], "Ny").save()
    Vacancy.objects.filter(body=ref_group).update(filled_on=datetime.date(2026, 2, 1))
    assert [f for f in check(ref_group) if f.level in ("error", "vacancy")] == []


def test_party_balance_warns_when_one_side_dominates(ref_group, subregion, db):
    from governance.models import Organisation

    region = Organisation.objects.get(kind="region")
    assert not [f for f in check(ref_group) if f.level == "warning"]
    for i in range(15):
        add_rep(ref_group, None, f"Region{i}", party=region).save()
    Membership.objects.filter(body=ref_group, person__first_name__startswith="Region").update(
        subregion=subregion["SIMBA"]
    )
    warnings = [f.message for f in check(ref_group) if f.level == "warning"]
    assert warnings and "ojämn" in warnings[0]


def test_rules_without_a_default_only_check_the_named_subregion(ref_group, subregion):
    CompositionRule.objects.filter(body=ref_group, kind="per_subregion", subregion=None).delete()
    errors = [f for f in check(ref_group) if f.level == "error"]
    assert errors == []  # SIMBA no longer has a rule; Göteborgsområdet's own rule is met
