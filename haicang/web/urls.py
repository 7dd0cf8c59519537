from django.contrib.auth import views as auth_views
from django.urls import path

from haicang.web import assets, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("assets/plotly.min.js", assets.plotly_js, name="plotly-js"),
    path("audit/<str:subject_type>/<str:subject_id>/", views.audit_trail, name="audit"),
]
