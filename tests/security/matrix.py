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
    # Webhooks: admins only (their secrets sign what the workspace sends out).
    # The audit log: admins and owners read and export it.
    "audit_log": Row(min_role=Role.ADMIN),
    "audit_log_csv": Row(min_role=Role.ADMIN),
    "webhook_list": Row(min_role=Role.ADMIN),
    "webhook_create": Row(min_role=Role.ADMIN),
    "webhook_detail": Row(min_role=Role.ADMIN),
    "webhook_edit": Row(min_role=Role.ADMIN),
    "webhook_delete": Row(method="POST", min_role=Role.ADMIN),
    "webhook_rotate_secret": Row(method="POST", min_role=Role.ADMIN),
    "webhook_test": Row(method="POST", min_role=Role.ADMIN),
    "webhook_replay": Row(method="POST", min_role=Role.ADMIN),
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
    "plan_matrix_cell": Row(
        method="POST",
        min_role=Role.EDITOR,
        hidden_from_partner=True,
        query="?stage=tracer.reputation&family=mix.promotion",
        data={"reason": "Not for this territory"},
    ),
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
    # API tokens: each member manages their own; admins and owners revoke anyone's (the sample
    # token is the owner's; for other members it does not exist).
    "api_tokens": Row(),
    "api_token_revoke": Row(
        method="POST", own_object=True, others_min_role=Role.ADMIN, others_status=404
    ),
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


# --- The REST API (namespace "api") ------------------------------------------------------------
#
# Each workspace route lists the HTTP methods it answers; any other method answers 405. Bodies
# are JSON; a value "@name" is replaced by the id of the sample object ``name``. An allowed
# operation answers 200 (GET, PATCH), 201 (POST) or 204 (DELETE); a role below ``min_role`` 403;
# anonymous callers 401 and members of another workspace 404, whatever the method.


@dataclass(frozen=True)
class ApiOp:
    min_role: str = Role.VIEWER
    # The partner cannot see the sample object (its project is not shared with them):
    # ``partner_status`` (404 for an object in the URL, 400 for one named in the body).
    hidden_from_partner: bool = False
    partner_status: int = 404
    body: dict[str, object] = field(default_factory=dict)
    query: str = ""
    # Object rule, as for the pages: the sample object is the owner persona's.
    own_object: bool = False
    others_min_role: str | None = None
    others_status: int = 403


@dataclass(frozen=True)
class ApiRow:
    ops: dict[str, ApiOp]
    obj: str | None = None  # the sample object named by the detail URL


VIEW = ApiOp()
VIEW_HIDDEN = ApiOp(hidden_from_partner=True)

API_URLS: dict[str, ApiRow] = {
    "api:api-root": ApiRow({"GET": VIEW}),
    "api:territory-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(min_role=Role.EDITOR, body={"name": "New area", "kind": "city"}),
        }
    ),
    "api:territory-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"name": "Area"}),
        },
        obj="territory",
    ),
    "api:project-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"name": "New project", "territory": "@territory", "start_date": "2026-01-05"},
            ),
        }
    ),
    "api:project-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(
                min_role=Role.EDITOR, hidden_from_partner=True, body={"ambition": "Grow"}
            ),
        },
        obj="project",
    ),
    "api:cycle-list": ApiRow({"GET": VIEW}),
    "api:cycle-detail": ApiRow({"GET": VIEW_HIDDEN}, obj="cycle"),
    # Partners see every organisation (they see the members page anyway); admins manage them.
    "api:partner-organisation-list": ApiRow(
        {"GET": VIEW, "POST": ApiOp(min_role=Role.ADMIN, body={"name": "Chamber of trade"})}
    ),
    "api:partner-organisation-detail": ApiRow(
        {
            "GET": VIEW,
            "PATCH": ApiOp(min_role=Role.ADMIN, body={"name": "Tourism office"}),
            "DELETE": ApiOp(min_role=Role.ADMIN),
        },
        obj="organisation",
    ),
    "api:objective-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"project": "@project", "stage": "tracer.reputation", "title": "New"},
            ),
        }
    ),
    "api:objective-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"priority": 2}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="objective",
    ),
    "api:action-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"objective": "@objective", "family": "mix.promotion", "title": "New"},
            ),
        }
    ),
    # Partners edit the actions their organisation takes part in (here: none they can see).
    "api:action-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.PARTNER, hidden_from_partner=True, body={"priority": 2}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="action",
    ),
    # Partners comment, but on the projects shared with them only: the sample action is not.
    "api:comment-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.PARTNER,
                hidden_from_partner=True,
                partner_status=400,
                body={"action": "@action", "body": "Hello"},
            ),
        }
    ),
    # The sample comment is the owner's: only its author edits it; admins delete anyone's.
    "api:comment-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(
                min_role=Role.PARTNER,
                hidden_from_partner=True,
                own_object=True,
                body={"body": "Edited"},
            ),
            "DELETE": ApiOp(
                min_role=Role.PARTNER,
                hidden_from_partner=True,
                own_object=True,
                others_min_role=Role.ADMIN,
            ),
        },
        obj="comment",
    ),
    # Evaluation: partners read the evaluation of the projects shared with them, edit nothing.
    "api:indicator-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={
                    "project": "@project",
                    "name": "New indicator",
                    "unit": "visits",
                    "stage": "tracer.reputation",
                    "frequency": "yearly",
                },
            ),
        }
    ),
    "api:indicator-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"unit": "%"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="indicator",
    ),
    "api:measurement-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"indicator": "@indicator", "period": "2025-04-10", "value": "12"},
            ),
        }
    ),
    "api:measurement-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"value": "11"}),
        },
        obj="measurement",
    ),
    # The workspace's dashboard covers every project: hidden from partners.
    "api:dashboard-snapshot-list": ApiRow({"GET": VIEW}),
    "api:dashboard-snapshot-detail": ApiRow({"GET": VIEW_HIDDEN}, obj="snapshot"),
    "api:lesson-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"project": "@project", "learned": "Lesson", "policy": "tourism"},
            ),
        }
    ),
    "api:lesson-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"sent_to": "x"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="lesson",
    ),
    # Everyone reads the members; admins change roles and remove members (the sample: the viewer).
    "api:member-list": ApiRow({"GET": VIEW}),
    "api:member-detail": ApiRow(
        {
            "GET": VIEW,
            "PATCH": ApiOp(min_role=Role.ADMIN, body={"role": "editor"}),
            "DELETE": ApiOp(min_role=Role.ADMIN),
        },
        obj="member",
    ),
    # Governance and the method: partners read those of the projects shared with them (the sample
    # project is not), editors and up manage them; contact people follow their organisation.
    "api:contact-person-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.ADMIN, body={"organisation": "@organisation", "full_name": "New"}
            ),
        }
    ),
    "api:contact-person-detail": ApiRow(
        {
            "GET": VIEW,
            "PATCH": ApiOp(min_role=Role.ADMIN, body={"phone": "+33 3 21 00 00 00"}),
            "DELETE": ApiOp(min_role=Role.ADMIN),
        },
        obj="contact",
    ),
    "api:governance-body-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"project": "@project", "name": "Technical committee", "kind": "technical"},
            ),
        }
    ),
    "api:governance-body-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"mandate": "M"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="body",
    ),
    "api:meeting-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(min_role=Role.EDITOR, body={"body": "@body", "held_on": "2026-05-01"}),
        }
    ),
    "api:meeting-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(
                min_role=Role.EDITOR, hidden_from_partner=True, body={"minutes": "**Done**"}
            ),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="meeting",
    ),
    "api:decision-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(min_role=Role.EDITOR, body={"meeting": "@meeting", "text": "Go"}),
        }
    ),
    "api:decision-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"status": "done"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="decision",
    ),
    "api:step-progress-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR, body={"project": "@project", "step": "method.s1.markets"}
            ),
        }
    ),
    "api:step-progress-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"status": "done"}),
        },
        obj="progress",
    ),
    "api:deliverable-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={
                    "project": "@project",
                    "step": "method.s1.information",
                    "kind": "note",
                    "title": "Note",
                    "text": "Written",
                },
            ),
        }
    ),
    "api:deliverable-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"title": "T"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="deliverable",
    ),
    "api:maturity-assessment-list": ApiRow({"GET": VIEW}),
    "api:maturity-assessment-detail": ApiRow({"GET": VIEW_HIDDEN}, obj="assessment"),
    "api:maturity-score-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"cycle": "@cycle", "element": "element.method", "score": 3},
            ),
        }
    ),
    "api:maturity-score-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"score": 1}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="score",
    ),
    "api:contribution-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"cycle": "@cycle", "partner": "@organisation2", "amount": "100.00"},
            ),
        }
    ),
    "api:contribution-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"note": "N"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="contribution",
    ),
    "api:ownership-event-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"cycle": "@cycle", "kind": "survey", "held_on": "2026-05-01", "title": "S"},
            ),
        }
    ),
    "api:ownership-event-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(
                min_role=Role.EDITOR, hidden_from_partner=True, body={"participants": 12}
            ),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="ownership",
    ),
    "api:actor-proposal-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(min_role=Role.EDITOR, body={"cycle": "@cycle", "name": "Newcomer"}),
        }
    ),
    "api:actor-proposal-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(
                min_role=Role.EDITOR, hidden_from_partner=True, body={"status": "contacted"}
            ),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="proposal",
    ),
    "api:brand-platform-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(min_role=Role.EDITOR, body={"project": "@project2", "name": "Brand"}),
        }
    ),
    "api:brand-platform-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"promise": "P"}),
        },
        obj="platform",
    ),
    "api:brand-licensee-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"platform": "@platform", "partner": "@organisation2", "since": "2026-05-01"},
            ),
        }
    ),
    "api:brand-licensee-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"note": "N"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="licensee",
    ),
    "api:ambassador-list": ApiRow(
        {
            "GET": VIEW,
            "POST": ApiOp(
                min_role=Role.EDITOR,
                body={"platform": "@platform", "name": "Jeanne", "joined_on": "2026-05-01"},
            ),
        }
    ),
    "api:ambassador-detail": ApiRow(
        {
            "GET": VIEW_HIDDEN,
            "PATCH": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True, body={"segment": "S"}),
            "DELETE": ApiOp(min_role=Role.EDITOR, hidden_from_partner=True),
        },
        obj="ambassador",
    ),
    # Closing the sample project's open cycle opens the next one (201).
    "api:cycle-close": ApiRow(
        {
            "POST": ApiOp(
                min_role=Role.EDITOR, hidden_from_partner=True, body={"started_on": "2030-01-07"}
            )
        },
        obj="cycle",
    ),
}

# The API outside a workspace: the schema and its docs are public; /me/ needs credentials (401).
API_PUBLIC = {"api:schema", "api:docs"}
API_LOGIN_ONLY = {"api:me"}
