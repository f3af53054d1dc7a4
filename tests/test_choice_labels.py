"""core.choices.ChoiceLabels: get_FOO_display() answers as Django's does, for every choice field of the project."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.choices import ChoiceLabels

PROJECT_APPS = ("governance", "documents", "meetings")


def choice_fields():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if field.choices and not model.__name__.startswith("Historical"):
                    yield model, field


def test_every_model_with_choice_fields_uses_the_fast_labels():
    slow = sorted({m.__name__ for m, _f in choice_fields() if not issubclass(m, ChoiceLabels)})
    assert slow == []


@pytest.mark.parametrize(("model", "field"), list(choice_fields()), ids=lambda x: getattr(x, "name", str(x)))
def test_labels_are_djangos_for_every_value_and_unknown_values_show_as_stored(model, field):
    instance = model()
    display = getattr(instance, f"get_{field.name}_display")
    for value, _label in field.flatchoices:
        setattr(instance, field.attname, value)
        assert display() == models.Model._get_FIELD_display(instance, field)
    setattr(instance, field.attname, "okänt-värde")
    assert display() == "okänt-värde"


def test_labels_follow_the_language_of_the_request():
    from governance.models import Membership

    seat = Membership(role=Membership.Role.CHAIR)
    with translation.override("sv"):
        swedish = seat.get_role_display()
    with translation.override("en"):
        english = seat.get_role_display()
    assert swedish == "Ordförande"
    assert english == models.Model._get_FIELD_display(seat, Membership._meta.get_field("role"))
