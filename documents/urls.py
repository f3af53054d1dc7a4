from django.urls import path

app_name = "documents"

# Plan routes (documents/views.py) and review-round routes (documents/review_views.py) are listed below.
urlpatterns: list = [
    # Plan routes.
    # Review-round routes.
]
