"""The backlog and forum pages (issue 12 items 4 and 5), included by governance/urls.py."""

from django.urls import path

from . import backlog_views, forum_views

urlpatterns = [
    path("organ/<slug:slug>/backlogg/", backlog_views.backlog_list, name="backlog"),
    path("backlogg/<int:pk>/", backlog_views.backlog_item, name="backlog_item"),
    path("backlogg/<int:pk>/arende/", backlog_views.backlog_to_case, name="backlog_to_case"),
    path("backlogg/<int:pk>/uppdrag/", backlog_views.backlog_to_task, name="backlog_to_task"),
    path("backlogg/<int:pk>/avsluta/", backlog_views.backlog_close, name="backlog_close"),
    path("forum/", forum_views.forum_list, name="forum_list"),
    path("forum/trad/<int:pk>/", forum_views.forum_topic, name="forum_topic"),
    path("forum/trad/<int:pk>/sammanfattning/", forum_views.forum_summary, name="forum_summary"),
    path("forum/trad/<int:pk>/till-backlogg/", forum_views.forum_lift, name="forum_lift"),
    path("forum/inlagg/<int:pk>/dolj/", forum_views.forum_hide_post, name="forum_hide_post"),
    path("forum/<slug:slug>/", forum_views.forum_detail, name="forum_detail"),
]
