"""A history page's entries are joined in Python (core.history.entries_html): the HTML is exactly what the template
loop it replaces made, for every kind of entry."""

import datetime

from django.template import Context, Template
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.history import Change, Entry, TextChange, entries_html

# The loop governance/history.html had, verbatim.
TEMPLATE_LOOP = """{% for e in page.object_list %}
<article class="history-entry" aria-labelledby="history-entry-{{ forloop.counter }}">
  <h2 class="history-heading" id="history-entry-{{ forloop.counter }}">{{ e.heading }}</h2>
  <p class="history-meta"><time datetime="{{ e.when|date:'c' }}">{{ e.when_text }}</time> av <strong>{{ e.who }}</strong></p>
  {% if e.reason %}<p class="history-reason"><span class="history-label">Skäl:</span> {{ e.reason }}</p>{% endif %}
  {% if e.changes %}
  <table class="responsive history-table">
    {% if e.created %}
    <thead><tr><th scope="col">Uppgift</th><th scope="col">Värde</th></tr></thead>
    <tbody>{% for c in e.changes %}<tr><th scope="row" data-label="Uppgift">{{ c.field }}</th><td data-label="Värde">{{ c.new }}</td></tr>{% endfor %}</tbody>
    {% else %}
    <thead><tr><th scope="col">Uppgift</th><th scope="col">Före</th><th scope="col">Efter</th></tr></thead>
    <tbody>{% for c in e.changes %}<tr><th scope="row" data-label="Uppgift">{{ c.field }}</th><td data-label="Före">{% if c.old != "–" %}<del>{{ c.old }}</del>{% else %}–{% endif %}</td><td data-label="Efter">{% if c.new != "–" %}<ins>{{ c.new }}</ins>{% else %}–{% endif %}</td></tr>{% endfor %}</tbody>
    {% endif %}
  </table>
  {% endif %}
  {% for t in e.texts %}
  <h3 class="history-field">{{ t.field }}{% if t.is_diff %}: ändringar{% endif %}</h3>
  {% if t.is_diff %}<div class="word-diff history-diff">{{ t.html }}</div>
  {% elif t.folded %}<details class="history-fold"><summary>Visa texten</summary><div class="history-text">{{ t.html }}</div></details>
  {% else %}<div class="history-text">{{ t.html }}</div>{% endif %}
  {% endfor %}
</article>
{% endfor %}"""  # noqa: E501

WHEN = timezone.make_aware(datetime.datetime(2026, 3, 3, 14, 5))


def entry(**kwargs) -> Entry:
    values = {
        "when": WHEN,
        "who": "Anna <Berg>",
        "action": "Ändrat",
        "heading": "Ändrat avsnitt ”Budget & drift” i Förvaltningsplan SHVO 2026",
        "reason": "",
        "created": False,
    }
    return Entry(**{**values, **kwargs})


ENTRIES = [
    entry(created=True, reason="Plan skapad", changes=[Change("År", "", "2026"), Change("Status", "", "Utkast")]),
    entry(changes=[Change("Status", "Utkast", "På remiss"), Change("Datum", "–", "2026-03-01"), Change("X", "a", "–")]),
    entry(
        reason='Rättat "stavfel" & <annat>',
        texts=[TextChange("Text", mark_safe("<p>Ny <ins>text</ins></p>"), is_diff=True)],
    ),
    entry(
        texts=[TextChange("Text", mark_safe("<p>Lång</p>"), folded=True), TextChange("Not", mark_safe("<p>Kort</p>"))]
    ),
    entry(
        changes=[Change("Namn", "<i>gammalt</i>", "nytt & bättre")], texts=[TextChange("Syfte", mark_safe("<p>S</p>"))]
    ),
    entry(who="Systemet", heading="Tagit bort mål ”Gammalt”"),
]


def test_the_entries_are_the_html_the_template_loop_made():
    page = type("Page", (), {"object_list": ENTRIES})()
    assert str(entries_html(ENTRIES)) == Template(TEMPLATE_LOOP).render(Context({"page": page}))


def test_no_entries_are_no_html():
    assert entries_html([]) == ""
