from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "haicang.web"
    label = "web"
    verbose_name = "Haicang web UI"
