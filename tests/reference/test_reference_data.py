"""The frameworks as reference data: exact counts, stable codes, both labels everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation.models import CatalogueIndicator
from governance.models import Element, ElementComponent, MethodSequence, MethodStep
from mix.models import MixFamily
from territories.models import Audience
from tracer.models import TracerStage

pytestmark = pytest.mark.django_db

STAGES = [
    "tracer.together",
    "tracer.reputation",
    "tracer.affinities",
    "tracer.conversion",
    "tracer.engagement",
    "tracer.retention",
]
FAMILIES = [
    "mix.offer",
    "mix.price",
    "mix.placement",
    "mix.promotion",
    "mix.people",
    "mix.partnerships",
    "mix.physical_evidence",
    "mix.process",
    "mix.labels_awards",
    "mix.touchpoints",
    "mix.personalisation",
    "mix.persuasion",
]
ELEMENTS = [
    "element.organisation",
    "element.local_ownership",
    "element.method",
    "element.mix",
    "element.evaluation",
    "element.feedback",
    "element.new_actors",
]
COMPONENTS = [
    "governance",
    "internal_info",
    "strategy_links",
    "operational_steering",
    "brand_management",
    "pooling",
]
SEQUENCES = ["method.s1", "method.s2", "method.s3"]
STEPS = [
    "method.s1.information",
    "method.s1.markets",
    "method.s1.environment",
    "method.s1.competitive_position",
    "method.s1.matching",
    "method.s1.synthesis",
    "method.s2.ambition",
    "method.s2.promise",
    "method.s3.action_plan",
    "method.s3.steering",
]


def codes(model) -> list[str]:
    return list(model.objects.order_by("position").values_list("code", flat=True))


def test_exact_counts_and_stable_codes_in_order() -> None:
    assert codes(TracerStage) == STAGES
    assert codes(MixFamily) == FAMILIES
    assert list(Element.objects.order_by("number").values_list("code", flat=True)) == ELEMENTS
    assert codes(ElementComponent) == [f"element.organisation.{c}" for c in COMPONENTS]
    assert set(ElementComponent.objects.values_list("element__code", flat=True)) == {
        "element.organisation"
    }
    assert (
        list(MethodSequence.objects.order_by("number").values_list("code", flat=True)) == SEQUENCES
    )
    assert list(MethodStep.objects.order_by("number").values_list("code", flat=True)) == STEPS
    assert list(MethodStep.objects.order_by("number").values_list("number", flat=True)) == list(
        range(1, 11)
    )
    assert [MethodStep.objects.filter(sequence__code=s).count() for s in SEQUENCES] == [6, 2, 2]
    assert Audience.objects.count() == 15
    assert CatalogueIndicator.objects.count() == 29


def test_tracer_letters_and_aliases() -> None:
    assert (
        "".join(TracerStage.objects.order_by("position").values_list("letter", flat=True))
        == "TRACER"
    )
    together = TracerStage.objects.get(code="tracer.together")
    assert (together.label_fr, together.alias_fr) == ("Tous réunis", "Tous ensemble")
    assert TracerStage.objects.get(code="tracer.retention").alias_fr == "Réinvestissement"


@pytest.mark.parametrize(
    "model",
    [
        TracerStage,
        MixFamily,
        Element,
        ElementComponent,
        MethodSequence,
        MethodStep,
        Audience,
        CatalogueIndicator,
    ],
    ids=lambda m: m.__name__,
)
def test_every_item_has_french_and_english_labels(model) -> None:
    for item in model.objects.all():
        assert item.label_en.strip() and item.label_fr.strip(), item.code
        assert item.code == item.code.lower() and " " not in item.code


def test_proposals_are_marked() -> None:
    assert MixFamily.objects.filter(is_proposal=False).count() == 0
    assert list(
        MethodStep.objects.filter(is_proposal=True)
        .values_list("number", flat=True)
        .order_by("number")
    ) == [9, 10]
    assert not Audience.objects.filter(is_proposal=False).exists()


def test_every_catalogue_indicator_points_to_a_stage() -> None:
    assert not CatalogueIndicator.objects.filter(tracer_stage__isnull=True).exists()
    assert (
        CatalogueIndicator.objects.get(code="kpi.brand.ambassadors").tracer_stage.code
        == "tracer.engagement"
    )


ENDPOINTS = {
    "api_reference_tracer_stages": (6, {"letter", "alias_en", "alias_fr"}),
    "api_reference_mix_families": (12, set()),
    "api_reference_method_steps": (
        10,
        {"sequence", "number", "deliverables_en", "deliverables_fr"},
    ),
    "api_reference_elements": (7, {"number", "components"}),
    "api_reference_audiences": (15, {"sphere"}),
    "api_reference_indicators": (29, {"unit_en", "unit_fr", "level", "tracer_stage"}),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_reference_api_is_public_json_with_codes_and_both_labels(client, name) -> None:
    count, extra = ENDPOINTS[name]
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = response.json()
    assert len(items) == count
    for item in items:
        assert {"code", "label_en", "label_fr"} | extra <= set(item)


def test_method_steps_carry_their_sequence(client) -> None:
    steps = client.get(reverse("api_reference_method_steps")).json()
    assert steps[0]["sequence"]["code"] == "method.s1"
    assert steps[9]["sequence"] == {
        "code": "method.s3",
        "label_en": "Draw up your action plan",
        "label_fr": "Dresser son plan d'actions",
        "number": 3,
    }


def test_elements_carry_the_organisation_components(client) -> None:
    elements = client.get(reverse("api_reference_elements")).json()
    assert [c["code"] for c in elements[0]["components"]] == [
        f"element.organisation.{c}" for c in COMPONENTS
    ]
    assert all(e["components"] == [] for e in elements[1:])


def test_reference_api_is_read_only(client) -> None:
    response = client.post(
        reverse("api_reference_tracer_stages"), {"code": "x"}, content_type="application/json"
    )
    assert response.status_code == 405


@pytest.mark.parametrize("lang,expected", [("en", "All together"), ("fr", "Tous réunis")])
def test_frameworks_page_in_the_readers_language(client, lang, expected) -> None:
    response = client.get(reverse("frameworks"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert html.count('data-code="tracer.') == 6
    assert html.count('data-code="mix.') == 12
    assert html.count('data-code="method.s') == 13  # 3 sequences + 10 steps
    assert html.count('data-code="element.') == 13  # 7 elements + 6 components
