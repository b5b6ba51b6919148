from django.urls import path

from core.api import reference_list_view
from territories.api.serializers import AudienceSerializer
from territories.models import Audience

urlpatterns = [
    path(
        "audiences/",
        reference_list_view(
            Audience.objects.order_by("position"), AudienceSerializer, "AudienceList"
        ),
        name="api_reference_audiences",
    ),
]
