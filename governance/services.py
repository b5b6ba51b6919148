"""Writes for partner organisations and project sharing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Membership, User, Workspace
from core.tenancy import assert_same_workspace
from governance.models import PartnerOrganisation
from territories.models import Project


def _check_name(workspace: Workspace, name: str, *, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the organisation a name.")})
    taken = PartnerOrganisation.objects.filter(workspace=workspace, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {
                "name": _("An organisation named “%(name)s” already exists in this workspace.")
                % {"name": name}
            }
        )
    return name


def _save(organisation: PartnerOrganisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # the unique constraint: a concurrent request took the name
        raise ValidationError(
            {"name": _("An organisation with this name was saved at the same moment.")}
        ) from exc


@transaction.atomic
def partner_organisation_create(
    *, actor: User, workspace: Workspace, name: str, members: Iterable[Membership] = ()
) -> PartnerOrganisation:
    members = list(members)
    assert_same_workspace(workspace, *members)
    organisation = PartnerOrganisation(workspace=workspace, name=_check_name(workspace, name))
    _save(organisation)
    organisation.members.set(members)
    return organisation


@transaction.atomic
def partner_organisation_update(
    *,
    actor: User,
    workspace: Workspace,
    organisation: PartnerOrganisation,
    name: str,
    members: Iterable[Membership],
) -> PartnerOrganisation:
    members = list(members)
    assert_same_workspace(workspace, organisation, *members)
    organisation.name = _check_name(workspace, name, exclude_pk=organisation.pk)
    _save(organisation)
    organisation.members.set(members)
    return organisation


@transaction.atomic
def partner_organisation_delete(
    *, actor: User, workspace: Workspace, organisation: PartnerOrganisation
) -> None:
    """Delete an organisation that takes part in no action.

    Refused while it leads or contributes to actions: the database would silently clear the lead
    (SET_NULL) and drop the contributions, with no trace in the plan's history, and its partners
    would lose their edit rights on those actions without anyone deciding it. Reassign the
    actions first. Its members stay in the workspace; they only stop seeing the shared projects.
    """
    assert_same_workspace(workspace, organisation)
    # Lock the row so a concurrent delete of the same organisation waits for this one.
    PartnerOrganisation.objects.select_for_update().filter(pk=organisation.pk).first()
    led = organisation.led_actions.count()
    contributed = organisation.contributed_actions.count()
    if led or contributed:
        parts = [
            _("%(name)s cannot be deleted while it takes part in actions.")
            % {"name": organisation.name}
        ]
        if led:
            parts.append(
                ngettext("It leads %(count)d action.", "It leads %(count)d actions.", led)
                % {"count": led}
            )
        if contributed:
            parts.append(
                ngettext(
                    "It contributes to %(count)d action.",
                    "It contributes to %(count)d actions.",
                    contributed,
                )
                % {"count": contributed}
            )
        parts.append(
            _("In the plan, choose another lead partner or remove it from the contributors first.")
        )
        raise ValidationError(" ".join(parts))
    organisation.delete()


@transaction.atomic
def project_sharing_update(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    organisations: Iterable[PartnerOrganisation],
) -> Project:
    """Share ``project`` with exactly ``organisations``: their partner members then see it."""
    organisations = list(organisations)
    assert_same_workspace(workspace, project, *organisations)
    project.partner_organisations.set(organisations)
    return project
