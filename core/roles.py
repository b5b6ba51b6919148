"""Roles and the permission table: written once, as data, used by pages and the API alike.

Each action names the minimum role that may perform it. Roles are ordered
viewer < partner < editor < admin < owner. What a partner may see is further narrowed to the
projects shared with their organisation (an object rule, applied by selectors, not here).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    PARTNER = "partner", _("Partner")
    VIEWER = "viewer", _("Viewer")

    @classmethod
    def rank(cls, role: str) -> int:
        return _RANK[role]


_RANK: dict[str, int] = {
    Role.VIEWER: 10,
    Role.PARTNER: 20,
    Role.EDITOR: 30,
    Role.ADMIN: 40,
    Role.OWNER: 50,
}

ROLE_HELP = {
    Role.OWNER: _("Everything, including managing owners and deleting the workspace."),
    Role.ADMIN: _("Manages members and invitations, and edits everything."),
    Role.EDITOR: _("Creates and edits territories, projects and plans."),
    Role.PARTNER: _(
        "A partner organisation's member: sees the projects shared with their organisation, "
        "comments there and edits the actions their organisation takes part in."
    ),
    Role.VIEWER: _("Reads everything, changes nothing."),
}

# action -> minimum role. Every page and API view names one of these actions.
PERMISSIONS: dict[str, Role] = {
    "workspace.view": Role.VIEWER,
    "workspace.update": Role.ADMIN,
    # Webhooks: their secrets sign what the workspace sends out, so admins only.
    "webhook.view": Role.ADMIN,
    "webhook.manage": Role.ADMIN,
    # The audit log (security events): admins and owners read it and export it; nobody edits it.
    "audit.view": Role.ADMIN,
    "member.view": Role.VIEWER,
    "member.invite": Role.ADMIN,
    "member.change_role": Role.ADMIN,
    "member.remove": Role.ADMIN,
    "territory.view": Role.VIEWER,
    "territory.create": Role.EDITOR,
    "territory.update": Role.EDITOR,
    "territory.archive": Role.EDITOR,
    "project.view": Role.VIEWER,
    "project.create": Role.EDITOR,
    "project.update": Role.EDITOR,
    "project.archive": Role.EDITOR,
    "cycle.view": Role.VIEWER,
    "project.share": Role.EDITOR,
    "partner_org.view": Role.VIEWER,
    "partner_org.manage": Role.ADMIN,
    "plan.view": Role.VIEWER,
    "plan.export": Role.VIEWER,
    "objective.create": Role.EDITOR,
    "objective.update": Role.EDITOR,
    "objective.delete": Role.EDITOR,
    "action.create": Role.EDITOR,
    # Partners edit only the actions their organisation leads or contributes to (object rule).
    "action.update": Role.PARTNER,
    "action.delete": Role.EDITOR,
    "template.import": Role.EDITOR,
    # Marking a matrix cell "not relevant for this project" (with a reason) is a plan decision.
    "matrix.mark": Role.EDITOR,
    # Partners comment; everyone edits or deletes only their own comments (object rule).
    "comment.create": Role.PARTNER,
    "comment.update": Role.PARTNER,
    "comment.resolve": Role.PARTNER,
    # Own comments while nobody replied; admins and owners delete any (object rule).
    "comment.delete": Role.PARTNER,
    "notification.view": Role.VIEWER,
    # Everyone manages their own API tokens; admins and owners also revoke anyone's (object rule).
    "token.manage": Role.VIEWER,
    "token.revoke_any": Role.ADMIN,
    # Partners see the dashboards of the projects shared with them (object rule).
    "dashboard.view": Role.VIEWER,
    "dashboard.export": Role.VIEWER,
    # Evaluation: partners read the evaluation of the projects shared with them, edit nothing.
    "indicator.view": Role.VIEWER,
    "indicator.manage": Role.EDITOR,
    "measurement.record": Role.EDITOR,
    "lesson.view": Role.VIEWER,
    "lesson.manage": Role.EDITOR,
    # Governance and the method: partners read those of the projects shared with them (object
    # rule); editors and up manage bodies, meetings, decisions, the method, maturity, pooled
    # means, local ownership, the brand and the cycle review.
    "governance.view": Role.VIEWER,
    "governance.manage": Role.EDITOR,
    "cycle.close": Role.EDITOR,
}


def can(role: str | None, action: str) -> bool:
    """May a member with ``role`` perform ``action``? Unknown actions are refused loudly."""
    try:
        minimum = PERMISSIONS[action]
    except KeyError as exc:
        raise KeyError(
            f"No permission row for action {action!r} in core.roles.PERMISSIONS"
        ) from exc
    return role is not None and Role.rank(role) >= Role.rank(minimum)
