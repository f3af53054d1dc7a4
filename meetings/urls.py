from django.urls import path, re_path

from . import calendar, justering_views, minutes_views, published_views, publishing, register, views

app_name = "meetings"

urlpatterns = [
    path("organ/<slug:slug>/moten/", views.body_meetings, name="body_meetings"),
    path("organ/<slug:slug>/moten/nytt/", views.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/punkter/ny/", views.item_create, name="item_create"),
    path("moten/<int:pk>/dagordning/arende/", views.agenda_add_case, name="agenda_add_case"),
    path("moten/<int:pk>/dagordning/publicera/", views.agenda_publish, name="agenda_publish"),
    path("moten/<int:pk>/narvaro/", views.attendance, name="attendance"),
    path("moten/<int:pk>/justering/skicka/", justering_views.send_for_justering, name="send_for_justering"),
    path("moten/<int:pk>/justering/aterta/", justering_views.withdraw, name="withdraw"),
    path("moten/<int:pk>/justering/", justering_views.justering, name="justering"),
    path("moten/<int:pk>/justering/forhandsversion.pdf", publishing.minutes_preview_pdf, name="minutes_preview_pdf"),
    path("moten/<int:pk>/justering/papper/", justering_views.paper_justering, name="paper_justering"),
    path("moten/<int:pk>/sammanfattning/", minutes_views.summary, name="summary"),
    path("moten/<int:pk>/historik/", views.meeting_history, name="meeting_history"),
    path("moten/<int:pk>/rattelse/ny/", justering_views.correction_create, name="correction_create"),
    path("rattelser/<int:pk>/godkann/", justering_views.correction_approve, name="correction_approve"),
    path("punkter/<int:pk>/andra/", views.item_edit, name="item_edit"),
    path("punkter/<int:pk>/flytta/", views.item_move, name="item_move"),
    path("punkter/<int:pk>/ta-bort/", views.item_delete, name="item_delete"),
    path("punkter/<int:pk>/anteckningar/", minutes_views.item_minutes, name="item_minutes"),
    path("atgarder/<int:pk>/status/", minutes_views.action_status, name="action_status"),
    # Publishing (PDF) and calendar routes follow.
    path("organ/<slug:slug>/protokoll/", publishing.published_minutes, name="published_minutes"),
    path("protokoll/", published_views.published_all, name="published_all"),
    path("organ/<slug:slug>/beslut/", register.decision_register, name="decision_register"),
    path("moten/<int:pk>/protokoll.pdf", publishing.minutes_pdf, name="minutes_pdf"),
    re_path(
        r"^protokoll/(?P<sha256>[0-9a-f]{64})/(?P<name>[-a-z0-9]+)\.pdf$",
        publishing.published_pdf,
        name="published_pdf",
    ),
    path("moten/<int:pk>/dagordning.pdf", publishing.agenda_pdf, name="agenda_pdf"),
    path("moten/<int:pk>/publicera/", publishing.publish, name="publish"),
    path("moten/<int:pk>/mote.ics", calendar.meeting_ics, name="meeting_ics"),
    path("kalender/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("kalender/", calendar.my_calendar, name="my_calendar"),
    path("kalender/byt-adress/", calendar.feed_rotate, name="feed_rotate"),
]
