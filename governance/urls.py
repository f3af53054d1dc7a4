from django.urls import path

from . import account_views, backlog_urls, body_views, population_views, seat_views, views

app_name = "governance"

urlpatterns = [
    path("organ/", views.chart, name="chart"),
    path("organ/nytt/", views.body_edit, name="body_create"),
    path("organ/<slug:slug>/", body_views.body_detail, name="body_detail"),
    path("organ/<slug:slug>/andra/", views.body_edit, name="body_edit"),
    path("organ/<slug:slug>/status/", views.body_status, name="body_status"),
    path("organ/<slug:slug>/uppdragsbeskrivning/ny/", views.charter_create, name="charter_create"),
    path("organ/<slug:slug>/uppdragsbeskrivning/<int:version>/", views.charter_detail, name="charter_detail"),
    path("organ/<slug:slug>/uppdrag/nytt/", seat_views.membership_create, name="membership_create"),
    path("organ/<slug:slug>/vakans/ny/", seat_views.vacancy_create, name="vacancy_create"),
    path("uppdrag/<int:pk>/andra/", seat_views.membership_edit, name="membership_edit"),
    path("uppdrag/<int:pk>/avsluta/", seat_views.membership_end, name="membership_end"),
    path("uppdrag/<int:pk>/ersatt/", seat_views.membership_replace, name="membership_replace"),
    path("delregioner/", views.subregion_list, name="subregion_list"),
    path("delregioner/<slug:slug>/", views.subregion_detail, name="subregion_detail"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("folkmangd/", population_views.population_list, name="population_list"),
    path("folkmangd/importera/", population_views.population_import, name="population_import"),
    path("organ/<slug:slug>/historik/", views.body_history, name="body_history"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/historik/", views.person_history, name="person_history"),
    path("personer/<int:pk>/konto/", account_views.account_invite, name="account_invite"),
    path("konto/glomt-losenord/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("konto/glomt-losenord/skickat/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("konto/losenord/klart/", account_views.PasswordSetDoneView.as_view(), name="password_set_done"),
    path("konto/losenord/<uidb64>/<token>/", account_views.PasswordSetView.as_view(), name="password_set"),
]
urlpatterns += backlog_urls.urlpatterns

from . import case_urls  # noqa: E402

urlpatterns += case_urls.urlpatterns
