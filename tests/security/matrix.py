"""The permission matrix of every URL, written independently of the code's permission table.

Each workspace URL names its HTTP method, the minimum role that may use it, and whether a
partner whose organisation has no share in the object gets a 404 (object hidden) instead.
Every URL outside a workspace is listed in PUBLIC or LOGIN_ONLY. A URL that appears in the
resolver without a row here fails ``test_every_url_has_a_matrix_row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.roles import Role


@dataclass(frozen=True)
class Row:
    method: str = "GET"
    min_role: str = Role.VIEWER
    hidden_from_partner: bool = False  # the sample object is not shared with the partner
    data: dict[str, str] = field(default_factory=dict)  # POST body
    query: str = ""  # appended to the URL
    # Object rule: the sample object belongs to the owner persona (its author, its recipient).
    # Other members may use the URL on it from ``others_min_role`` up (None: nobody else may);
    # below, they get ``others_status``.
    own_object: bool = False
    others_min_role: str | None = None
    others_status: int = 403


WORKSPACE_URLS: dict[str, Row] = {
    "workspace_home": Row(),
    "workspace_settings": Row(min_role=Role.ADMIN),
    "members": Row(),
    "member_role": Row(method="POST", min_role=Role.ADMIN, data={"role": "viewer"}),
    "member_remove": Row(method="POST", min_role=Role.ADMIN),
    "invitation_revoke": Row(method="POST", min_role=Role.ADMIN),
    "territory_list": Row(),
    "territory_create": Row(min_role=Role.EDITOR),
    "territory_detail": Row(hidden_from_partner=True),
    "territory_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "territory_archive": Row(
        method="POST", min_role=Role.EDITOR, hidden_from_partner=True, data={"archived": "1"}
    ),
    "project_list": Row(),
    "project_create": Row(min_role=Role.EDITOR),
    "project_detail": Row(hidden_from_partner=True),
    "project_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "project_archive": Row(
        method="POST", min_role=Role.EDITOR, hidden_from_partner=True, data={"archived": "1"}
    ),
    # The action plan (the sample project is not shared with the partner's organisation).
    "plan_board": Row(hidden_from_partner=True),
    "plan_table": Row(hidden_from_partner=True),
    "plan_export": Row(hidden_from_partner=True),
    "plan_matrix": Row(hidden_from_partner=True),
    "plan_timeline": Row(hidden_from_partner=True),
    "plan_changes": Row(hidden_from_partner=True, query="?rev=0&p=x"),
    "plan_activity": Row(hidden_from_partner=True),
    "objective_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "action_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "objective_detail": Row(hidden_from_partner=True),
    "action_detail": Row(hidden_from_partner=True),
    "objective_field": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "action_field": Row(min_role=Role.PARTNER, hidden_from_partner=True),
    "objective_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "action_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "presence": Row(method="POST", min_role=Role.PARTNER, hidden_from_partner=True),
    # Comments (the sample comment is the owner's, on the sample action).
    "comment_create_action": Row(
        method="POST", min_role=Role.PARTNER, hidden_from_partner=True, data={"body": "Hello"}
    ),
    "comment_create_objective": Row(
        method="POST", min_role=Role.PARTNER, hidden_from_partner=True, data={"body": "Hello"}
    ),
    "comment_edit": Row(min_role=Role.PARTNER, hidden_from_partner=True, own_object=True),
    "comment_delete": Row(
        method="POST",
        min_role=Role.PARTNER,
        hidden_from_partner=True,
        own_object=True,
        others_min_role=Role.ADMIN,
    ),
    "comment_resolve": Row(
        method="POST",
        min_role=Role.PARTNER,
        hidden_from_partner=True,
        own_object=True,
        others_min_role=Role.EDITOR,
        data={"resolved": "1"},
    ),
    "member_search": Row(min_role=Role.PARTNER, query="?q=alpha"),
    # Notifications: each member sees only their own (the sample one is the owner's).
    "notification_list": Row(),
    "notification_bell": Row(),
    "notification_read_all": Row(method="POST"),
    "notification_read": Row(method="POST", own_object=True, others_status=404),
    "plan_library": Row(hidden_from_partner=True),
    # Partner organisations and sharing.
    "partner_list": Row(),
    "partner_create": Row(min_role=Role.ADMIN),
    "partner_detail": Row(),
    "partner_logo": Row(),
    "partner_edit": Row(min_role=Role.ADMIN),
    "contact_create": Row(min_role=Role.ADMIN),
    "contact_edit": Row(min_role=Role.ADMIN),
    "contact_delete": Row(method="POST", min_role=Role.ADMIN),
    "partner_delete": Row(method="POST", min_role=Role.ADMIN),
    "project_sharing": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    # Dashboards: a project's is hidden from partners it is not shared with; the workspace's
    # shows a partner only the projects shared with them (here: none).
    "project_dashboard": Row(hidden_from_partner=True),
    "project_dashboard_status": Row(hidden_from_partner=True, query="?version=x&pending=0"),
    "project_dashboard_export": Row(hidden_from_partner=True),
    "workspace_dashboard": Row(),
    "workspace_dashboard_status": Row(query="?version=x&pending=0"),
    "workspace_dashboard_export": Row(),
    # Evaluation: indicators, measurements, lessons (the sample project is not shared with the
    # partner's organisation; shared, partners read them and edit nothing).
    "indicator_list": Row(hidden_from_partner=True),
    "indicator_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "indicator_detail": Row(hidden_from_partner=True),
    "indicator_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "indicator_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "measurement_record": Row(
        method="POST",
        min_role=Role.EDITOR,
        hidden_from_partner=True,
        data={"period": "2025-02-10", "value": "12"},
    ),
    "measurements_import": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "measurements_template": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "lesson_list": Row(hidden_from_partner=True),
    "lesson_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "lesson_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "lesson_status": Row(
        method="POST", min_role=Role.EDITOR, hidden_from_partner=True, data={"status": "sent"}
    ),
    "lesson_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    # Governance bodies, meetings, decisions (the sample project is not shared with the partner).
    "body_list": Row(hidden_from_partner=True),
    "body_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "body_detail": Row(hidden_from_partner=True),
    "body_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "body_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "meeting_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "meeting_detail": Row(hidden_from_partner=True),
    "meeting_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "meeting_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "decision_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "decision_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "decision_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "decision_list": Row(hidden_from_partner=True),
    # The method tracker and its deliverables (files served to members who see the project).
    "method_tracker": Row(hidden_from_partner=True),
    "method_step": Row(hidden_from_partner=True),
    "deliverable_create": Row(
        method="POST",
        min_role=Role.EDITOR,
        hidden_from_partner=True,
        data={"kind": "note", "title": "Notes", "text": "Hello"},
    ),
    "deliverable_file": Row(hidden_from_partner=True),
    "deliverable_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "maturity": Row(hidden_from_partner=True),
    "maturity_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    # Pooled means and the local ownership log (records of the sample project's open cycle).
    "contribution_list": Row(hidden_from_partner=True),
    "contribution_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "contribution_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "contribution_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "ownership_list": Row(hidden_from_partner=True),
    "ownership_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "ownership_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "ownership_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    # The brand platform, its licensees and ambassadors.
    "brand": Row(hidden_from_partner=True),
    "brand_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "brand_indicators_record": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "licensee_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "licensee_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "licensee_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "ambassador_list": Row(hidden_from_partner=True),
    "ambassador_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "ambassador_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "ambassador_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    # New actors and the cycle review (closing without a start date is refused: 422).
    "proposal_list": Row(hidden_from_partner=True),
    "proposal_create": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "proposal_edit": Row(min_role=Role.EDITOR, hidden_from_partner=True),
    "proposal_delete": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
    "cycle_review_current": Row(hidden_from_partner=True),
    "cycle_review": Row(hidden_from_partner=True),
    "cycle_close": Row(method="POST", min_role=Role.EDITOR, hidden_from_partner=True),
}

# Anyone, signed in or not.
PUBLIC = {
    "home",
    "login",
    "logout",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "frameworks",
    "set_language",
    "javascript-catalog",
    "healthz",
    "api_reference_tracer_stages",
    "api_reference_mix_families",
    "api_reference_method_steps",
    "api_reference_method_sequences",
    "api_reference_elements",
    "api_reference_audiences",
    "api_reference_indicators",
}

# Signed-in users, outside any workspace.
LOGIN_ONLY = {"workspace_list", "password_change", "password_change_done"}
