"""The admin holds reference data only; bodies, charters and memberships are edited in the portal's forms. It also
shows Django's accounts and groups, whose permission lists are read from plain values (below)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple, RelatedFieldWidgetWrapper
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from .case_models import Process
from .models import Organisation, PopulationFigure, Subregion

# Each admin names its fields (all of them, in the model's order, as the admin would find them): otherwise it builds
# every form class twice a page, once only to read which fields it has.


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    fields = ["organisation", "year", "population", "source"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")  # each row is titled by str(figure)


class ReferenceDataAdmin(SimpleHistoryAdmin):
    """Reference rows are referenced by memberships and bodies (PROTECT): they are never deleted, only changed."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    fields = ["name", "slug", "kind", "code", "org_number", "subregion", "kommunalforbund"]
    list_display = ["name", "kind", "code", "subregion"]
    list_filter = ["kind", "subregion"]
    search_fields = ["name", "code"]
    inlines = [PopulationInline]


@admin.register(Subregion)
class SubregionAdmin(ReferenceDataAdmin):
    fields = ["name", "short_name", "slug", "description"]
    list_display = ["short_name", "name"]


@admin.register(Process)
class ProcessAdmin(ReferenceDataAdmin):
    fields = ["name", "slug", "description", "sort_order"]
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


# --- Accounts and groups ---------------------------------------------------------------------------------------------
# Rights in the portal come from seats (governance/permissions.py) and subregion administrators' object permissions;
# Django's own permissions and groups are still offered here as Django offers them. A list of every permission (about
# 300, with the history models') built from model objects cost 40 ms a page: the same choices, labelled as
# str(Permission) labels them, are read as plain values, one content type label per model.


def permission_choices(queryset) -> list[tuple[int, str]]:
    """(id, "App | model | name") for the permissions of `queryset`, in its order, without a model object each."""
    types: dict[tuple[str, str], str] = {}
    choices = []
    for pk, name, app_label, model in queryset.values_list(
        "pk", "name", "content_type__app_label", "content_type__model"
    ):
        label = types.get((app_label, model))
        if label is None:
            label = types[app_label, model] = str(ContentType(app_label=app_label, model=model))
        choices.append((pk, f"{label} | {name}"))
    return choices


class FastFilteredSelectMultiple(FilteredSelectMultiple):
    """The admin's two-list chooser (filter_horizontal) with its options joined in Python, like core.widgets.FastSelect:
    the same markup as FilteredSelectMultiple, without a template render per permission (about 300 of them)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final.update(
            {
                "name": name,
                "multiple": True,
                "class": "selectfilter" + ("stacked" if self.is_stacked else ""),
                "data-field-name": self.verbose_name,
                "data-is-stacked": int(self.is_stacked),
            }
        )
        chosen = {str(v) for v in (value or [])}
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>{escape(str(label))}</option>'
            for v, label in self.choices
        )
        attributes = "".join(
            f" {escape(k)}" if v is True else f' {escape(k)}="{escape(str(v))}"'
            for k, v in final.items()
            if v is not None and v is not False
        )
        return mark_safe(f"<select{attributes}>\n{options}\n</select>")  # noqa: S308 - every value escaped


def _fast_chooser(field):
    """Put FastFilteredSelectMultiple in place of the field's FilteredSelectMultiple (inside the admin's "add"
    wrapper, if any); returns the chooser."""
    holder = field.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field
    chooser = holder.widget
    if type(chooser) is FilteredSelectMultiple:
        chooser = holder.widget = FastFilteredSelectMultiple(chooser.verbose_name, chooser.is_stacked, chooser.attrs)
        chooser.choices = field.choices
    return chooser


def _offer_permissions(form, name: str) -> None:
    field = form.fields.get(name)
    if field is not None:
        _fast_chooser(field).choices = permission_choices(field.queryset)  # validation still goes through the queryset


class UserChangeForm(auth_forms.UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_permissions(self, "user_permissions")
        if "groups" in self.fields:
            _fast_chooser(self.fields["groups"])


class GroupForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_permissions(self, "permissions")


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm


@admin.register(Group)
class GroupAdmin(auth_admin.GroupAdmin):
    form = GroupForm
    fields = ["name", "permissions"]
