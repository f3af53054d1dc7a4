"""The admin holds reference data only; bodies, charters and memberships are edited in the portal's forms."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, PopulationFigure, Subregion


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "subregion"]
    list_filter = ["kind", "subregion"]
    search_fields = ["name", "code"]
    inlines = [PopulationInline]


@admin.register(Subregion)
class SubregionAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name"]
