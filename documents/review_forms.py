"""Forms of the review-round pages; the rules and their messages live in documents.services."""

from django import forms
from django.utils.translation import gettext_lazy

from core.widgets import RichText
from governance.forms import DateInput, ModelChoicesField, max_length_of
from governance.models import Subregion

from .models import Comment, JointResponse, ReviewRound


class RoundForm(forms.Form):
    deadline = forms.DateField(
        label=gettext_lazy("Sista svarsdag"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Ange sista svarsdag."),
            "invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-18."),
        },
    )
    subregions = ModelChoicesField(
        label=gettext_lazy("Delregioner som tillfrågas"),
        queryset=Subregion.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the rule (at least one) and its message are in reviews.round_open
    )
    message = forms.CharField(
        label=gettext_lazy("Meddelande till delregionerna"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=max_length_of(ReviewRound, "message"),
        help_text=gettext_lazy("Visas överst på remissens sida, t.ex. vad ni särskilt vill ha synpunkter på."),
    )

    def __init__(self, *args, subregion_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subregion_choices is not None:
            # (pk, name) pairs the view has read already: the boxes are drawn from them, the choice is still checked
            # against the field's queryset.
            self.fields["subregions"].choices = subregion_choices


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Kommentar"),
        widget=RichText(attrs={"rows": 6}),
        required=False,
        max_length=max_length_of(Comment, "text"),
    )
    quote = forms.CharField(
        label=gettext_lazy("Markerat stycke"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=max_length_of(Comment, "quote"),
        help_text=gettext_lazy("Valfritt: klistra in det stycke i avsnittet som kommentaren gäller."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Svar"),
        widget=RichText(attrs={"rows": 4}),
        required=False,
        max_length=max_length_of(Comment, "text"),
    )


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=gettext_lazy("Ställningstagande"),
        choices=Comment.Disposition.choices,
        widget=forms.RadioSelect,
        required=False,  # the rule and its message are in reviews.comment_dispose
    )
    disposition_reason = forms.CharField(
        label=gettext_lazy("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=max_length_of(Comment, "disposition_reason"),
        help_text=gettext_lazy("Krävs om kommentaren inte tillgodoses helt."),
    )


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Delregionens gemensamma svar"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=max_length_of(JointResponse, "text"),
        help_text=gettext_lazy("Skriv i vanlig text. En tom rad mellan styckena."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    """One's own comment, changed: the same text field as a new comment (its quote stays as it was)."""

    text = CommentForm.base_fields["text"]
