from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "zhenggai.assessments"
    label = "assessments"
    verbose_name = "月度考核"
