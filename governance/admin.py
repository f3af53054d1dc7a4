"""The admin holds reference data only; bodies, charters and memberships are edited in the portal's forms."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, PopulationFigure, Subregion


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


class ReferenceDataAdmin(SimpleHistoryAdmin):
    """Reference rows are referenced by memberships and bodies (PROTECT): they are never deleted, only changed."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    list_display = ["name", "kind", "code", "subregion"]
    list_filter = ["kind", "subregion"]
    search_fields = ["name", "code"]
    inlines = [PopulationInline]


@admin.register(Subregion)
class SubregionAdmin(ReferenceDataAdmin):
    list_display = ["short_name", "name"]
