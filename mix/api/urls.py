from django.urls import path

from core.api import reference_list_view
from mix.api.serializers import MixFamilySerializer
from mix.models import MixFamily

urlpatterns = [
    path(
        "mix-families/",
        reference_list_view(
            MixFamily.objects.order_by("position"), MixFamilySerializer, "MixFamilyList"
        ),
        name="api_reference_mix_families",
    ),
]
