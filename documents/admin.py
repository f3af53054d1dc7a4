"""Reference data of the documents app in the admin: the allocation keys (fördelningsnycklar). A key that budgets
use keeps the figures they show: its share is not changed under a decided or locked budget, and its validity keeps
covering every year whose budget uses it (documents.rules.key_change_errors)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import rules
from .models import AllocationKey


class AllocationKeyForm(forms.ModelForm):
    class Meta:
        model = AllocationKey
        fields = ["name", "region_percent", "valid_from", "valid_to"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and not self.errors:
            for field, message in rules.key_change_errors(
                self.instance.pk,
                region_percent=data.get("region_percent"),
                valid_from=data.get("valid_from"),
                valid_to=data.get("valid_to"),
            ).items():
                self.add_error(field, message)
        return data


@admin.register(AllocationKey)
class AllocationKeyAdmin(SimpleHistoryAdmin):
    form = AllocationKeyForm
    fields = ["name", "region_percent", "valid_from", "valid_to"]
    list_display = ["name", "region_percent", "valid_from", "valid_to"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # budget lines point at keys (PROTECT); a key no longer used is ended by its validity
