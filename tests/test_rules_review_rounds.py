"""Review rounds: the deadline must be after today (today itself is refused, tomorrow is the first day accepted)."""

import pytest
from django.core.exceptions import ValidationError

from documents import reviews
from documents.models import ManagementPlan

from .factories import DAY, make_plan, superuser, today

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", [0, -1], ids=["today", "yesterday"])
def test_a_review_round_with_a_deadline_of_today_or_earlier_is_refused(subregion, offset):
    plan = make_plan()
    with pytest.raises(ValidationError) as error:
        reviews.round_open(
            actor=superuser(), plan=plan, deadline=today() + offset * DAY, subregions=[subregion["Fyrbodal"]]
        )
    assert "deadline" in error.value.message_dict
    assert not plan.rounds.exists() and ManagementPlan.objects.get(pk=plan.pk).status == ManagementPlan.Status.DRAFT


def test_a_review_round_with_a_deadline_of_tomorrow_is_opened(subregion):
    plan = make_plan()
    round_ = reviews.round_open(
        actor=superuser(), plan=plan, deadline=today() + DAY, subregions=[subregion["Fyrbodal"]]
    )
    assert round_.deadline == today() + DAY and round_.is_open
    assert ManagementPlan.objects.get(pk=plan.pk).status == ManagementPlan.Status.IN_REVIEW
