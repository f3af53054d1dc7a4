from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from governance import views as governance_views

from .signin import LoginForm
from .views import floor, health, liveness

handler500 = "shvo.views.server_error"

urlpatterns = [
    path("halsa/", health, name="health"),
    path("halsa/process/", liveness, name="liveness"),
    path("halsa/sida/", floor, name="floor"),
    path("", governance_views.home, name="home"),
    path(
        "logga-in/",
        login_not_required(
            auth_views.LoginView.as_view(authentication_form=LoginForm, extra_context={"crumbs": [("Logga in", "")]})
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("governance.urls")),
    path("", include("documents.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
