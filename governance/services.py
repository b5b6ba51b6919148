"""Writes for partner organisations and project sharing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.markup import render_markdown
from core.models import Membership, User, Workspace
from core.tenancy import WorkspaceOwned, assert_same_workspace
from core.uploads import IMAGE_TYPES, validate_upload
from governance.models import (
    MATURITY_MAX,
    ActorProposal,
    Ambassador,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    Deliverable,
    DeliverableKind,
    ElementComponent,
    GovernanceBody,
    MaturityAssessment,
    MaturityScore,
    Meeting,
    MethodStep,
    OwnershipEvent,
    PartnerKind,
    PartnerOrganisation,
    PartnerRole,
    StepProgress,
)
from territories.models import Cycle, Project
from territories.services import assert_cycle_open


def _write(instance: WorkspaceOwned, data: dict[str, Any], *, m2m: Iterable[str] = ()) -> Any:
    """Set the fields, validate the row (its constraints too), save, then set the many-to-many.

    The one way governance services write a row; the callers have checked the workspace.
    """
    m2m = set(m2m)
    for name, value in data.items():
        if name not in m2m:
            setattr(instance, name, value)
    instance.full_clean(exclude=["workspace"])
    instance.save()
    for name in m2m & set(data):
        getattr(instance, name).set(data[name])
    return instance


def _logo(organisation: PartnerOrganisation, logo: Any, remove_logo: bool) -> None:
    if logo:
        try:
            validate_upload(logo, allowed=IMAGE_TYPES, max_size=settings.LOGO_MAX_SIZE)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from error
        _delete_file_on_commit(organisation.logo)
        organisation.logo = logo
    elif remove_logo and organisation.logo:
        _delete_file_on_commit(organisation.logo)
        organisation.logo = ""


def _delete_file_on_commit(file: Any) -> None:
    """Remove a replaced or deleted file once the change is committed (not if it rolls back)."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


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
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    members: Iterable[Membership] = (),
    kind: str = "",
    role: str = "",
    website: str = "",
    notes: str = "",
    logo: Any = None,
    remove_logo: bool = False,
) -> PartnerOrganisation:
    members = list(members)
    assert_same_workspace(workspace, *members)
    organisation = PartnerOrganisation(
        workspace=workspace,
        name=_check_name(workspace, name),
        kind=kind or PartnerKind.OTHER,
        role=role or PartnerRole.OPERATOR,
        website=website,
        notes=notes,
    )
    _logo(organisation, logo, remove_logo)
    organisation.full_clean(exclude=["workspace", "name"], validate_unique=False)
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
    kind: str = "",
    role: str = "",
    website: str = "",
    notes: str = "",
    logo: Any = None,
    remove_logo: bool = False,
) -> PartnerOrganisation:
    members = list(members)
    assert_same_workspace(workspace, organisation, *members)
    organisation.name = _check_name(workspace, name, exclude_pk=organisation.pk)
    organisation.kind = kind or organisation.kind
    organisation.role = role or organisation.role
    organisation.website = website
    organisation.notes = notes
    _logo(organisation, logo, remove_logo)
    organisation.full_clean(exclude=["workspace", "name"], validate_unique=False)
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
    # Its pooled means and brand licences are the record of past cycles: kept, so refused too.
    if organisation.contributions.exists() or organisation.brand_licences.exists():
        raise ValidationError(
            _(
                "%(name)s cannot be deleted: its contributions to the pooled means or its "
                "licence to use the brand mark are on record. Remove them first."
            )
            % {"name": organisation.name}
        )
    _delete_file_on_commit(organisation.logo)
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


@transaction.atomic
def contact_person_save(
    *,
    actor: User,
    workspace: Workspace,
    organisation: PartnerOrganisation,
    contact: ContactPerson | None = None,
    **data: Any,
) -> ContactPerson:
    """Create (no ``contact``) or update a contact person of ``organisation``."""
    assert_same_workspace(workspace, organisation, contact, data.get("membership"))
    contact = contact or ContactPerson(workspace=workspace, organisation=organisation)
    return _write(contact, data)


@transaction.atomic
def contact_person_delete(*, actor: User, workspace: Workspace, contact: ContactPerson) -> None:
    assert_same_workspace(workspace, contact)
    contact.delete()


# --- Bodies, meetings, decisions -----------------------------------------------------------------


@transaction.atomic
def governance_body_save(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    body: GovernanceBody | None = None,
    **data: Any,
) -> GovernanceBody:
    """Create (no ``body``) or update a governance body of ``project``."""
    assert_same_workspace(
        workspace, project, body, *data.get("members", ()), *data.get("organisations", ())
    )
    body = body or GovernanceBody(workspace=workspace, project=project)
    return _write(body, data, m2m=["members", "organisations"])


@transaction.atomic
def governance_body_delete(*, actor: User, workspace: Workspace, body: GovernanceBody) -> None:
    """Delete a body with its meetings and their decisions."""
    assert_same_workspace(workspace, body)
    body.delete()


@transaction.atomic
def meeting_save(
    *,
    actor: User,
    workspace: Workspace,
    body: GovernanceBody,
    meeting: Meeting | None = None,
    **data: Any,
) -> Meeting:
    """Create or update a meeting; the minutes are kept as Markdown and as sanitised HTML."""
    assert_same_workspace(workspace, body, meeting, *data.get("attendees", ()))
    meeting = meeting or Meeting(workspace=workspace, body=body)
    if "minutes" in data:
        data["minutes_html"] = render_markdown(data["minutes"]) if data["minutes"] else ""
    return _write(meeting, data, m2m=["attendees"])


@transaction.atomic
def meeting_delete(*, actor: User, workspace: Workspace, meeting: Meeting) -> None:
    assert_same_workspace(workspace, meeting)
    meeting.delete()


@transaction.atomic
def decision_save(
    *,
    actor: User,
    workspace: Workspace,
    meeting: Meeting,
    decision: Decision | None = None,
    **data: Any,
) -> Decision:
    """Create or update a decision; the objectives and actions it concerns are the project's."""
    project_id = meeting.body.project_id
    linked = [*data.get("objectives", ()), *data.get("actions", ())]
    assert_same_workspace(workspace, meeting, decision, data.get("owner"), *linked)
    if any(item.project_id != project_id for item in linked):
        raise ValidationError(_("Link only objectives and actions of this project."))
    decision = decision or Decision(workspace=workspace, meeting=meeting, project_id=project_id)
    return _write(decision, data, m2m=["objectives", "actions"])


@transaction.atomic
def decision_delete(*, actor: User, workspace: Workspace, decision: Decision) -> None:
    assert_same_workspace(workspace, decision)
    decision.delete()


# --- The method tracker --------------------------------------------------------------------------


def _progress(workspace: Workspace, project: Project, step: MethodStep) -> StepProgress:
    progress, _created = StepProgress.objects.get_or_create(
        workspace=workspace, project=project, step=step
    )
    return progress


@transaction.atomic
def step_progress_save(
    *, actor: User, workspace: Workspace, project: Project, step: MethodStep, **data: Any
) -> StepProgress:
    """Status, person in charge, due date and notes of one step of the method."""
    assert_same_workspace(workspace, project, data.get("owner"))
    return _write(_progress(workspace, project, step), data)


@transaction.atomic
def deliverable_add(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    step: MethodStep,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    file: Any = None,
) -> Deliverable:
    """A note, a link or a file (type, size and content checked) produced by a step."""
    assert_same_workspace(workspace, project)
    errors: dict[str, str] = {}
    if kind == DeliverableKind.NOTE and not text.strip():
        errors["text"] = _("Write the note.")
    if kind == DeliverableKind.LINK and not url:
        errors["url"] = _("Give the link.")
    if kind == DeliverableKind.FILE:
        if not file:
            errors["file"] = _("Choose a file.")
        else:
            try:
                validate_upload(file)
            except ValidationError as error:
                errors["file"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    deliverable = Deliverable(
        workspace=workspace,
        progress=_progress(workspace, project, step),
        kind=kind,
        title=title.strip(),
        text=text if kind == DeliverableKind.NOTE else "",
        url=url if kind == DeliverableKind.LINK else "",
        created_by=actor,
    )
    if kind == DeliverableKind.FILE:
        deliverable.file = file
        deliverable.file_name = file.name.rsplit("/", 1)[-1][:200]
        deliverable.file_size = file.size
    deliverable.full_clean(exclude=["workspace", "file"])
    deliverable.save()
    return deliverable


@transaction.atomic
def deliverable_update(
    *, actor: User, workspace: Workspace, deliverable: Deliverable, **data: Any
) -> Deliverable:
    """Change the title, the note (a note) or the link (a link) of a deliverable; its kind and
    its file stay (upload another file as a new deliverable)."""
    assert_same_workspace(workspace, deliverable)
    allowed = {"title"} | (
        {"text"}
        if deliverable.kind == DeliverableKind.NOTE
        else {"url"}
        if deliverable.kind == DeliverableKind.LINK
        else set()
    )
    refused = sorted(set(data) - allowed)
    if refused:
        raise ValidationError(
            {
                name: _("A %(kind)s has no such field.") % {"kind": deliverable.kind}
                for name in refused
            }
        )
    if "title" in data:
        data["title"] = data["title"].strip()
    if deliverable.kind == DeliverableKind.NOTE and not data.get("text", deliverable.text).strip():
        raise ValidationError({"text": _("Write the note.")})
    if deliverable.kind == DeliverableKind.LINK and not data.get("url", deliverable.url):
        raise ValidationError({"url": _("Give the link.")})
    for name, value in data.items():
        setattr(deliverable, name, value)
    deliverable.full_clean(exclude=["workspace", "file"])
    deliverable.save()
    return deliverable


@transaction.atomic
def deliverable_delete(*, actor: User, workspace: Workspace, deliverable: Deliverable) -> None:
    assert_same_workspace(workspace, deliverable)
    _delete_file_on_commit(deliverable.file)
    deliverable.delete()


# --- The 7 elements maturity assessment ----------------------------------------------------------


def _check_links(text: str) -> str:
    validate = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        try:
            validate(line)
        except ValidationError as error:
            raise ValidationError(
                _("“%(line)s” is not a web address (http:// or https://).") % {"line": line[:80]}
            ) from error
    return "\n".join(lines)


@transaction.atomic
def maturity_assessment_save(
    *,
    actor: User,
    workspace: Workspace,
    cycle: Cycle,
    scores: Iterable[dict[str, Any]],
) -> MaturityAssessment:
    """Score the 7 elements and the organisation's sub-components for ``cycle`` (open only).

    ``scores``: dicts with ``item`` (an Element or ElementComponent), ``score`` (0-4 or None to
    clear), ``justification`` and ``evidence`` (links, one a line).
    """
    assert_same_workspace(workspace, cycle)
    assert_cycle_open(cycle)
    assessment, _created = MaturityAssessment.objects.get_or_create(
        workspace=workspace, cycle=cycle, defaults={"project_id": cycle.project_id}
    )
    errors: dict[str, list[str]] = {}
    for entry in scores:
        item = entry["item"]
        target: dict[str, Any] = (
            {"component": item} if isinstance(item, ElementComponent) else {"element": item}
        )
        if entry.get("score") is None:
            MaturityScore.objects.filter(assessment=assessment, **target).delete()
            continue
        try:
            evidence = _check_links(entry.get("evidence", ""))
        except ValidationError as error:
            errors[f"{item.code.replace('.', '_')}-evidence"] = error.messages
            continue
        if not 0 <= entry["score"] <= MATURITY_MAX:
            raise ValidationError(_("A score goes from 0 to 4."))
        MaturityScore.objects.update_or_create(
            assessment=assessment,
            **target,
            defaults={
                "workspace": workspace,
                "score": entry["score"],
                "justification": entry.get("justification", ""),
                "evidence": evidence,
            },
        )
    if errors:
        raise ValidationError(errors)
    assessment.updated_by = actor
    assessment.save()
    return assessment


# --- Pooled means and local ownership ------------------------------------------------------------


def _cycle_record_save(
    model: Any,
    *,
    workspace: Workspace,
    cycle: Cycle,
    record: Any,
    data: dict[str, Any],
    frozen_when_closed: bool = True,
) -> Any:
    """Create (no ``record``) or update a record of ``cycle``; closed cycles refuse (unless the
    record is followed beyond its cycle, ``frozen_when_closed=False``)."""
    assert_same_workspace(
        workspace, cycle, record, *[v for v in data.values() if isinstance(v, WorkspaceOwned)]
    )
    if frozen_when_closed or record is None:
        assert_cycle_open(record.cycle if record is not None else cycle)
    record = record or model(workspace=workspace, project_id=cycle.project_id, cycle=cycle)
    return _write(record, data)


def _cycle_record_delete(*, workspace: Workspace, record: Any) -> None:
    assert_same_workspace(workspace, record)
    assert_cycle_open(record.cycle)
    record.delete()


@transaction.atomic
def contribution_save(
    *,
    actor: User,
    workspace: Workspace,
    cycle: Cycle,
    contribution: Contribution | None = None,
    **data: Any,
) -> Contribution:
    """A partner's money (€) and in-kind days for ``cycle``."""
    saved: Contribution = _cycle_record_save(
        Contribution, workspace=workspace, cycle=cycle, record=contribution, data=data
    )
    return saved


@transaction.atomic
def contribution_delete(*, actor: User, workspace: Workspace, contribution: Contribution) -> None:
    _cycle_record_delete(workspace=workspace, record=contribution)


@transaction.atomic
def ownership_event_save(
    *,
    actor: User,
    workspace: Workspace,
    cycle: Cycle,
    event: OwnershipEvent | None = None,
    **data: Any,
) -> OwnershipEvent:
    """A consultation, public meeting, workshop, campaign or survey with local actors."""
    saved: OwnershipEvent = _cycle_record_save(
        OwnershipEvent, workspace=workspace, cycle=cycle, record=event, data=data
    )
    return saved


@transaction.atomic
def ownership_event_delete(*, actor: User, workspace: Workspace, event: OwnershipEvent) -> None:
    _cycle_record_delete(workspace=workspace, record=event)


# --- Brand platform ------------------------------------------------------------------------------


@transaction.atomic
def brand_platform_save(
    *, actor: User, workspace: Workspace, project: Project, **data: Any
) -> BrandPlatform:
    """Create or update the project's brand platform (a project has one at most)."""
    assert_same_workspace(workspace, project)
    platform = BrandPlatform.objects.filter(project=project).first() or BrandPlatform(
        workspace=workspace, project=project
    )
    return _write(platform, data, m2m=["audiences"])


def _platform(project: Project) -> BrandPlatform:
    platform = BrandPlatform.objects.filter(project=project).first()
    if platform is None:
        raise ValidationError(_("Write the brand platform first."))
    return platform


@transaction.atomic
def brand_licensee_save(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    licensee: BrandLicensee | None = None,
    **data: Any,
) -> BrandLicensee:
    assert_same_workspace(workspace, project, licensee, data.get("partner"))
    licensee = licensee or BrandLicensee(workspace=workspace, platform=_platform(project))
    return _write(licensee, data)


@transaction.atomic
def brand_licensee_delete(*, actor: User, workspace: Workspace, licensee: BrandLicensee) -> None:
    assert_same_workspace(workspace, licensee)
    licensee.delete()


@transaction.atomic
def ambassador_save(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    ambassador: Ambassador | None = None,
    **data: Any,
) -> Ambassador:
    assert_same_workspace(workspace, project, ambassador)
    ambassador = ambassador or Ambassador(workspace=workspace, platform=_platform(project))
    return _write(ambassador, data)


@transaction.atomic
def ambassador_delete(*, actor: User, workspace: Workspace, ambassador: Ambassador) -> None:
    assert_same_workspace(workspace, ambassador)
    ambassador.delete()


@transaction.atomic
def actor_proposal_save(
    *,
    actor: User,
    workspace: Workspace,
    cycle: Cycle,
    proposal: ActorProposal | None = None,
    **data: Any,
) -> ActorProposal:
    """A new actor to involve, proposed in an open cycle; its status is followed afterwards."""
    saved: ActorProposal = _cycle_record_save(
        ActorProposal,
        workspace=workspace,
        cycle=cycle,
        record=proposal,
        data=data,
        frozen_when_closed=False,
    )
    return saved


@transaction.atomic
def actor_proposal_delete(*, actor: User, workspace: Workspace, proposal: ActorProposal) -> None:
    _cycle_record_delete(workspace=workspace, record=proposal)
