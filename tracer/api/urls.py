from django.urls import path

from core.api import reference_list_view
from tracer.api.serializers import TracerStageSerializer
from tracer.models import TracerStage

urlpatterns = [
    path(
        "tracer-stages/",
        reference_list_view(
            TracerStage.objects.order_by("position"), TracerStageSerializer, "TracerStageList"
        ),
        name="api_reference_tracer_stages",
    ),
]
