"""Forms of the governing documents' pages (documents/governing_views.py). They only collect input: every rule is in
documents.governing_rules, every write in documents.governing."""

from django import forms
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core.widgets import RICH_TEXT_HELP, FastSelect, RichText
from governance.case_models import Process
from governance.forms import DateInput, use_name_options
from governance.models import Body, BodyStatusChange
from governance.querysets import table_version

from .governing_models import Revision, RevisionComment, RevisionPosition
from .models import Document

KINDS = [(k, label) for k, label in Document.Kind.choices if k != Document.Kind.MANAGEMENT_PLAN]
MAX_UPLOAD = 10 * 1024 * 1024


class ImportForm(forms.Form):
    """Step one of the import: the file and what the document is."""

    file = forms.FileField(label=_("Word-dokument (.docx)"), help_text=_("Rubrikerna i dokumentet blir avsnitt."))
    title = forms.CharField(
        label=_("Titel"), max_length=300, required=False, help_text=_("Tomt: dokumentets egen titel används.")
    )
    kind = forms.ChoiceField(label=_("Slag"), choices=KINDS, initial=Document.Kind.ROUTINE)
    owner = forms.ModelChoiceField(label=_("Ägare"), queryset=Body.objects.none(), empty_label=None, widget=FastSelect)
    process = forms.ModelChoiceField(label=_("Process"), queryset=Process.objects.all(), required=False)
    in_force_reference = forms.CharField(
        label=_("Gäller redan genom beslut"),
        max_length=200,
        required=False,
        help_text=_("Bara för ett dokument som redan är beslutat, t.ex. ”VVG 2023-05-26, § 34”. Tomt: ett förslag."),
    )
    in_force_from = forms.DateField(label=_("Gäller från"), required=False, widget=DateInput)

    def __init__(self, *args, owners, owners_name: str, **kwargs):
        """`owners`: the bodies the user may register documents for (governing_rules.registrable_owners), named by
        `owners_name` (governing_rules.registrable_owners_name): their options are kept per version of the bodies and
        their statuses, and the day (a body closed from a date leaves the list that day)."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        today = timezone.localdate()
        version = SimpleLazyObject(lambda: f"{table_version(Body)}:{table_version(BodyStatusChange)}:{today}")
        use_name_options(self.fields["owner"], version=version, rows=f"registrable_owners:{owners_name}")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Filen är större än 10 MB. Spara dokumentet utan bilder och försök igen."))
        return upload


class ConfirmImportForm(forms.Form):
    """Step two: the previewed import, carried signed (so what is saved is what was shown)."""

    payload = forms.CharField(widget=forms.HiddenInput)


class SectionsForm(forms.Form):
    """A version's sections to write: each with its title, its place and its text; one more can be added. A section
    whose title and text are both emptied is removed."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_rows = []
        for n, section in enumerate(sections, start=1):
            self._row(n, section)
        self._row(len(sections) + 1, {"key": "", "title": "", "body": ""}, new=True)

    def _row(self, n, section, new=False):
        self.fields[f"key_{n}"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=section["key"])
        self.fields[f"position_{n}"] = forms.IntegerField(
            label=_("Plats"), min_value=1, max_value=999, initial=n, required=False
        )
        self.fields[f"title_{n}"] = forms.CharField(
            label=_("Rubrik på nytt avsnitt") if new else _("Rubrik"),
            max_length=200,
            required=False,
            initial=section["title"],
        )
        self.fields[f"body_{n}"] = forms.CharField(
            label=_("Text"),
            required=False,
            max_length=200_000,
            widget=RichText(attrs={"rows": 8}),
            initial=section["body"],
            help_text=RICH_TEXT_HELP if n == 1 else "",
        )
        self.section_rows.append({"n": n, "new": new})

    def bound_rows(self):
        return [
            {
                "n": row["n"],
                "new": row["new"],
                "key": self[f"key_{row['n']}"],
                "position": self[f"position_{row['n']}"],
                "title": self[f"title_{row['n']}"],
                "body": self[f"body_{row['n']}"],
            }
            for row in self.section_rows
        ]

    def sections(self) -> list[dict]:
        """The sections in their chosen order (ties: as listed); emptied ones left out."""
        rows = []
        for row in self.section_rows:
            n = row["n"]
            title = (self.cleaned_data.get(f"title_{n}") or "").strip()
            body = self.cleaned_data.get(f"body_{n}") or ""
            if not title and not body.strip():
                continue
            position = self.cleaned_data.get(f"position_{n}") or n
            rows.append((position, n, {"key": self.cleaned_data.get(f"key_{n}") or "", "title": title, "body": body}))
        return [section for _p, _n, section in sorted(rows, key=lambda r: (r[0], r[1]))]


class ProposeForm(SectionsForm):
    change_class = forms.ChoiceField(
        label=_("Slag av ändring"),
        choices=[
            (
                Revision.ChangeClass.EDITORIAL,
                _("Redaktionell: språk, tydlighet, uppdaterade hänvisningar till it-tjänsten"),
            ),
            (Revision.ChangeClass.PRINCIPLED, _("Principiell: nya regler eller ändrat ansvar (beslutas av VVG)")),
        ],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Motivering"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    wanted_from = forms.DateField(
        label=_("Önskas gälla från"),
        required=False,
        widget=DateInput,
        help_text=_("Tomt: från den dag protokollet med beslutet justeras."),
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SupplementForm(SectionsForm):
    rationale = forms.CharField(
        label=_("Motivering"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Delregionens ställning"),
        choices=[
            (RevisionPosition.Stance.AGREE, _("Vi instämmer")),
            (RevisionPosition.Stance.OBJECT, _("Vi invänder")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Vad ni invänder mot"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs vid invändning."),
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför är ändringen principiell?"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(forms.Form):
    valid_until = forms.DateField(label=_("Gäller till och med"), widget=DateInput)
    reason = forms.CharField(label=_("Skäl"), max_length=500)


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"§ {obj.number}/{obj.year}, {obj.item.meeting.date}: {obj.item.title}"


class DeescalateForm(forms.Form):
    decision = DecisionChoice(label=_("Beslutet"), queryset=None, empty_label=_("Välj beslut"), required=False)
    reason = forms.CharField(
        label=_("Varför är ändringen redaktionell?"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class CommentForm(forms.Form):
    """A comment in the consultation: the section (or the whole proposal), an optional quoted passage, the text."""

    section_key = forms.ChoiceField(label=_("Avsnitt"), required=False)
    quote = forms.CharField(
        label=_("Markerat stycke (valfritt)"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kopiera meningen du kommenterar ur avsnittet, så syns den tillsammans med kommentaren."),
    )
    text = forms.CharField(label=_("Kommentar"), required=False, max_length=20_000, widget=RichText(attrs={"rows": 5}))

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_key"].choices = [("", _("Hela förslaget"))] + [(s.key, s.title) for s in sections]


class AnswerForm(forms.Form):
    """The proposer's answer to a comment."""

    disposition = forms.ChoiceField(
        label=_("Hur kommentaren tas om hand"), choices=RevisionComment.Disposition.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Svar"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när kommentaren inte tillgodoses helt."),
    )


class WithdrawForm(forms.Form):
    """Taking a proposal back, with its reason. Its field ids are its own: the revision page also shows the
    escalation's reason (id_reason), and the error summary links to the field it names."""

    reason = forms.CharField(
        label=_("Varför återtas förslaget?"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_aterta_%s")
        super().__init__(*args, **kwargs)
