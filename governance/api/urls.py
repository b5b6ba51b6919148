from django.db.models import Prefetch
from django.urls import path

from core.api import reference_list_view
from governance.api.serializers import (
    ElementSerializer,
    MethodSequenceSerializer,
    MethodStepSerializer,
)
from governance.models import Element, ElementComponent, MethodSequence, MethodStep

urlpatterns = [
    path(
        "elements/",
        reference_list_view(
            Element.objects.order_by("number").prefetch_related(
                Prefetch("components", queryset=ElementComponent.objects.order_by("position"))
            ),
            ElementSerializer,
            "ElementList",
        ),
        name="api_reference_elements",
    ),
    path(
        "method-sequences/",
        reference_list_view(
            MethodSequence.objects.order_by("number"),
            MethodSequenceSerializer,
            "MethodSequenceList",
        ),
        name="api_reference_method_sequences",
    ),
    path(
        "method-steps/",
        reference_list_view(
            MethodStep.objects.select_related("sequence").order_by("number"),
            MethodStepSerializer,
            "MethodStepList",
        ),
        name="api_reference_method_steps",
    ),
]
