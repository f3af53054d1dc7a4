"""The case pages (issue 12, cases): the list and a case's page with its path, included by governance/urls.py."""

from django.urls import path

from . import case_views

urlpatterns = [
    path("arenden/", case_views.case_list, name="case_list"),
    path("arenden/nytt/", case_views.case_create, name="case_create"),
    path("arenden/<int:pk>/", case_views.case_detail, name="case_detail"),
]
