from django.urls import path

from core.api import reference_list_view
from evaluation.api.serializers import CatalogueIndicatorSerializer
from evaluation.models import CatalogueIndicator

urlpatterns = [
    path(
        "indicators/",
        reference_list_view(
            CatalogueIndicator.objects.select_related("tracer_stage").order_by("position"),
            CatalogueIndicatorSerializer,
            "CatalogueIndicatorList",
        ),
        name="api_reference_indicators",
    ),
]
