"""The Frameworks page: every framework the product models, in the reader's language.

It lives here because it reads reference data of every app, and evaluation is the highest layer.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluation.models import CatalogueIndicator
from governance.models import Element, ElementComponent, MethodSequence, MethodStep
from mix.models import MixFamily
from territories.models import MICRO_KINDS, Audience, Sphere, TerritoryKind
from tracer.models import TracerStage


def frameworks(request: HttpRequest) -> HttpResponse:
    audiences = list(Audience.objects.order_by("position"))
    context = {
        "elements": Element.objects.order_by("number").prefetch_related(
            Prefetch("components", queryset=ElementComponent.objects.order_by("position"))
        ),
        "sequences": MethodSequence.objects.order_by("number").prefetch_related(
            Prefetch("steps", queryset=MethodStep.objects.order_by("number"))
        ),
        "families": MixFamily.objects.order_by("position"),
        "stages": TracerStage.objects.order_by("position"),
        "audience_groups": [
            (label, [a for a in audiences if a.sphere == value]) for value, label in Sphere.choices
        ],
        "indicators": CatalogueIndicator.objects.select_related("tracer_stage").order_by(
            "position"
        ),
        "micro_kinds": [label for value, label in TerritoryKind.choices if value in MICRO_KINDS],
    }
    return render(request, "evaluation/frameworks.html", context)
