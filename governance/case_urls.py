"""The case pages (issue 12, cases): the list, a case's page with its path, a steward's steps and the Historik, included by governance/urls.py."""

from django.urls import path

from . import case_views

urlpatterns = [
    path("arenden/", case_views.case_list, name="case_list"),
    path("arenden/nytt/", case_views.case_create, name="case_create"),
    path("arenden/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("arenden/<int:pk>/bered/", case_views.case_prepare, name="case_prepare"),
    path("arenden/<int:pk>/aterrapportera/", case_views.case_report_back, name="case_report_back"),
    path("arenden/<int:pk>/uppfoljning/", case_views.case_follow_up, name="case_follow_up"),
    path("arenden/<int:pk>/avsluta/", case_views.case_close, name="case_close"),
    path("arenden/<int:pk>/historik/", case_views.case_history, name="case_history"),
]
